using AcpHost.Relay.Protocol;

namespace AcpHost.Relay.Relay;

/// <summary>How the relay hands a message to the features that registered for its method.</summary>
public sealed partial class JsonRpcRelay
{
    /// <summary>The index of the first interceptor that wants the line, or -1: the cheap check before any state machine.</summary>
    internal static int FirstWanting(IMessageInterceptor[] interceptors, string method, ReadOnlyMemory<byte> line)
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
    internal async ValueTask<Intercepted> InterceptAsync(
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
                result = await interceptor.InterceptAsync(new InterceptContext(direction, info, method, line, this), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                RelayLog.InterceptorFailed(Log, ex, interceptor.GetType().Name, method);
                continue;
            }

            switch (result.Action)
            {
                case InterceptAction.Consume:
                    if (result.Continuation is { } answer)
                    {
                        Work.Start(answer, method, direction == Direction.FromClient && info.Kind == MessageKind.Request ? info.Id : null);
                    }

                    return new Intercepted(true, info, line);
                case InterceptAction.Replace:
                    line = result.Replacement;
                    info = MessageClassifier.Classify(line.Span);
                    break;
            }
        }

        return new Intercepted(false, info, line);
    }
}
