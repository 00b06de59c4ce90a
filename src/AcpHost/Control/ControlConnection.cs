using AcpHost.Events;
using StreamJsonRpc;

namespace AcpHost.Control;

/// <summary>
/// One control connection on the endpoint's side: the three methods registered by name on its <see cref="ControlRpc"/>,
/// and, once subscribed, the host's events sent as <c>event/*</c> notifications through the same connection (StreamJsonRpc
/// writes one message at a time, so answers and events never interleave mid-line).
/// </summary>
internal sealed class ControlConnection(ControlRequestHandler handler, ControlRpc rpc, CancellationTokenSource lifetime)
{
    private Task? _events;

    /// <summary>Registers the methods; call before <see cref="JsonRpc.StartListening"/>.</summary>
    public void Register()
    {
        rpc.AddLocalRpcMethod(ControlMethods.Status, new Func<HostStatus>(handler.Status));
        // The params object is read whole into ControlForkParams: members the contract does not name are ignored, as always.
        rpc.AddLocalRpcMethod(
            new Func<ControlForkParams, CancellationToken, Task<ControlForkResult>>(handler.ForkAsync).Method,
            handler,
            new JsonRpcMethodAttribute(ControlMethods.Fork) { UseSingleObjectParameterDeserialization = true });
        rpc.AddLocalRpcMethod(ControlMethods.Subscribe, new Func<EmptyResult>(Subscribe));
    }

    /// <summary>Waits for the event pump, if any, once the connection has ended.</summary>
    public async Task StopEventsAsync()
    {
        if (_events is not null)
        {
            await _events.ConfigureAwait(false);
        }
    }

    private EmptyResult Subscribe()
    {
        // Subscribed before the answer goes out, so no event published after the answer is missed.
        if (_events is null)
        {
            HostEventBus.Subscription subscription = handler.Events.Subscribe();
            _events = Task.Run(() => PumpEventsAsync(subscription), CancellationToken.None);
            ControlRequestHandler.Subscribed(handler.Log);
        }

        return EmptyResult.Instance;
    }

    private async Task PumpEventsAsync(HostEventBus.Subscription subscription)
    {
        // A subscriber that lags is never cut off: its queue keeps one fill per session and counts what it cannot keep,
        // and the count reaches it as event/dropped once it reads again. One that never reads again holds a connection
        // slot, like any idle connection, until it closes.
        using HostEventBus.Subscription owned = subscription;
        try
        {
            await foreach (HostEvent hostEvent in subscription.Reader.ReadAllAsync(lifetime.Token).ConfigureAwait(false))
            {
                if (hostEvent is EventsDropped dropped)
                {
                    ControlRequestHandler.SubscriberLagged(handler.Log, dropped.Count);
                }

                if (ControlEvents.ToNotification(hostEvent) is { } notification)
                {
                    await NotifyAsync(notification.Method, notification.Params).WaitAsync(lifetime.Token).ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or ConnectionLostException)
        {
            // The connection closed, or the host is stopping.
        }
    }

    // The params go out as the object itself ("params":{...}), serialized by ControlJsonContext.
    [System.Diagnostics.CodeAnalysis.UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "The formatter serializes the object with ControlJsonContext's source-generated metadata; nothing reflects over it.")]
    private Task NotifyAsync(string method, object parameters) => rpc.NotifyWithParameterObjectAsync(method, parameters);
}
