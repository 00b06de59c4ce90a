using AcpHost.Relay.Protocol;
using Microsoft.Extensions.Logging;

namespace AcpHost.Relay.Relay;

/// <summary>
/// How the relay hands a message to the features that registered for its method, and the work they leave running
/// when they answer a message themselves.
/// </summary>
internal sealed class Interception
{
    private readonly InterceptorTable _table;
    private readonly IRelayOutlet _outlet;
    private readonly LineTemplate? _chunk;
    private readonly ILogger _log;
    private readonly HostWork _work;
    private readonly HeldRequests _held;

    /// <param name="interceptors">The features' interceptors, in the order they run.</param>
    /// <param name="outlet">What the interceptors are given to send messages of the host's own.</param>
    /// <param name="chunk">The dialect's chunk template, to classify a replaced line as the routers would.</param>
    /// <param name="log">Where a failing interceptor is reported.</param>
    /// <param name="held">Where a client request an interceptor holds back is noted.</param>
    public Interception(IEnumerable<IMessageInterceptor> interceptors, IRelayOutlet outlet, LineTemplate? chunk, ILogger log, HeldRequests held)
    {
        _held = held;
        _table = new InterceptorTable(interceptors);
        _outlet = outlet;
        _chunk = chunk;
        _log = log;
        _work = new HostWork(log);
    }

    /// <summary>The interceptors for <paramref name="method"/>; for a chunk, only those that want one.</summary>
    public bool TryGet(string? method, bool chunk, out IMessageInterceptor[] interceptors) => _table.TryGet(method, chunk, out interceptors);

    /// <summary>
    /// Whether the client's request <paramref name="clientId"/> is the host's to answer or let go: it answers it itself
    /// (see <see cref="HostWork.IsAnswering"/>), or holds it back (<see cref="InterceptResult.Hold"/>).
    /// </summary>
    public bool IsAnswering(RequestId clientId) => _work.IsAnswering(clientId) || _held.IsHeld(clientId);

    /// <summary>Waits, bounded, for the host's answers in the making, so they are written before the client's output closes.</summary>
    public Task StopAsync(TimeSpan timeout) => _work.StopAsync(timeout);

    /// <summary>The index of the first interceptor that wants the line, or -1: the cheap check before any state machine.</summary>
    public static int FirstWanting(IMessageInterceptor[] interceptors, string method, ReadOnlyMemory<byte> line)
    {
        for (int i = 0; i < interceptors.Length; i++)
        {
            if (interceptors[i].Wants(method, line))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Runs the interceptors from <paramref name="first"/> on, each that wants the line, in order.</summary>
    public async ValueTask<Intercepted> RunAsync(
        IMessageInterceptor[] interceptors, int first, Direction direction, MessageInfo info, string method, ReadOnlyMemory<byte> line, CancellationToken cancellationToken)
    {
        for (int i = first; i < interceptors.Length; i++)
        {
            IMessageInterceptor interceptor = interceptors[i];
            if (!interceptor.Wants(method, line))
            {
                continue;
            }

            InterceptResult result;
            try
            {
                result = await interceptor.InterceptAsync(new InterceptContext(direction, info, method, line, _outlet), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                RelayLog.InterceptorFailed(_log, ex, interceptor.GetType().Name, method);
                continue;
            }

            switch (result.Action)
            {
                case InterceptAction.Consume:
                    if (result.Continuation is { } answer)
                    {
                        _work.Start(answer, method, direction == Direction.FromClient && info.Kind == MessageKind.Request ? info.Id : null);
                    }

                    return new Intercepted(true, info, line);
                case InterceptAction.Hold:
                    // In flight until let go: its id stays taken, and the relay's end answers it if it is still held.
                    // One held once the end has begun is not noted (the end may have answered those it found): the
                    // caller answers it.
                    bool heldAfterTheEnd = direction == Direction.FromClient && info.Kind == MessageKind.Request && info.Id is { } held
                        && !_held.Hold(held);
                    return new Intercepted(true, info, line, heldAfterTheEnd);
                case InterceptAction.Replace:
                    line = result.Replacement;
                    info = MessageClassifier.Classify(line.Span, _chunk);
                    break;
            }
        }

        return new Intercepted(false, info, line);
    }
}
