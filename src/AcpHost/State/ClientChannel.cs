using AcpHost.Relay.Relay;

namespace AcpHost.State;

/// <summary>
/// The relay's outlet for features that act outside an interception (announcements, background work): the relay is
/// built after the features it calls, so it is attached here once it exists.
/// </summary>
internal sealed class ClientChannel
{
    private volatile IRelayOutlet? _outlet;

    /// <summary>The relay, once attached; null before and in tools that run without one.</summary>
    public IRelayOutlet? Outlet => _outlet;

    /// <summary>Attaches the running relay.</summary>
    public void Attach(IRelayOutlet outlet) => _outlet = outlet;

    /// <summary>Sends a notification to the client if a relay is attached; false when not sent.</summary>
    public async ValueTask<bool> NotifyAsync(string method, ReadOnlyMemory<byte> paramsJson, CancellationToken cancellationToken) =>
        _outlet is { } outlet && await outlet.NotifyClientAsync(method, paramsJson, cancellationToken).ConfigureAwait(false);
}
