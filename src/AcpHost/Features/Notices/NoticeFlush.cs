using AcpHost.Acp;
using AcpHost.Relay.Protocol;
using AcpHost.Relay.Relay;

namespace AcpHost.Features.Notices;

/// <summary>
/// Shows the notices that waited for a session's next turn (a client that shows no notices, told of something that
/// happened outside any turn) as that turn begins: when the client's <c>session/prompt</c> for the session passes,
/// before it goes to the agent, so they come before any of the agent's updates of that turn.
/// </summary>
/// <remarks>Registered after the session gate: a prompt it holds back begins its turn when it is let go.</remarks>
internal sealed class NoticeFlush(NoticeDesk desk) : IMessageInterceptor
{
    /// <inheritdoc/>
    public IReadOnlyCollection<string> Methods { get; } = [AcpMethods.SessionPrompt];

    /// <inheritdoc/>
    public bool WantsChunks => false;

    /// <inheritdoc/>
    public bool Wants(string method, ReadOnlyMemory<byte> line) => desk.HasDeferred;

    /// <inheritdoc/>
    public async ValueTask<InterceptResult> InterceptAsync(InterceptContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Direction == Direction.FromClient && context.Info.Kind == MessageKind.Request && TurnFields.SessionIdOf(context.Line.Span) is { } sessionId)
        {
            await desk.FlushAsync(sessionId, cancellationToken).ConfigureAwait(false);
        }

        return InterceptResult.Forward;
    }
}
