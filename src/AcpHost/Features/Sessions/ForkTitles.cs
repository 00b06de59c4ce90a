using System.Text.Json.Nodes;
using AcpHost.Acp;
using AcpHost.Events;
using AcpHost.Relay.Protocol;
using AcpHost.Relay.Relay;
using AcpHost.State;
using Microsoft.Extensions.Logging;

namespace AcpHost.Features.Sessions;

/// <summary>
/// Makes forks tell themselves apart in the client's session list: in the agent's answer to <c>session/list</c>, the
/// title of each session the host knows to be a fork gets what the host knows of it after the agent's own title (why it
/// was made or its note, and how full its parent was then): <c>Fake title (fork) — /fork "before-experiment", at 12 %
/// of the window</c>. Everything else in the answer stays as the agent sent it. The lineage is read from disk, so the
/// answer is finished off the relay's path; if that fails, the agent's answer goes on as it came.
/// </summary>
internal sealed partial class ForkTitles(SessionHistory history, ILogger<ForkTitles> log) : IMessageInterceptor
{
    /// <inheritdoc/>
    public IReadOnlyCollection<string> Methods { get; } = [AcpMethods.SessionList];

    /// <inheritdoc/>
    public bool WantsChunks => false;

    /// <inheritdoc/>
    public ValueTask<InterceptResult> InterceptAsync(InterceptContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Direction != Direction.FromAgent || context.Info.Kind != MessageKind.Response)
        {
            return ValueTask.FromResult(InterceptResult.Forward);
        }

        byte[] answer = context.Line.ToArray();
        IRelayOutlet outlet = context.Outlet;
        return ValueTask.FromResult(InterceptResult.ConsumeThen(token => AnswerAsync(outlet, answer, token)));
    }

    /// <summary>The answer with the forks' titles annotated; null when it names no fork the host knows.</summary>
    internal static byte[]? Annotate(ReadOnlySpan<byte> answer, IReadOnlyDictionary<string, SessionRecord> sessions)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        JsonNode? message = JsonTree.Parse(answer);
        if (message?["result"] is not JsonObject result || result["sessions"] is not JsonArray listed)
        {
            return null;
        }

        bool changed = false;
        foreach (JsonObject entry in listed.OfType<JsonObject>())
        {
            if (entry["sessionId"] is JsonValue id && id.TryGetValue(out string? sessionId)
                && sessions.TryGetValue(sessionId, out SessionRecord? fork) && fork.ParentSessionId is not null)
            {
                string? title = entry["title"] is JsonValue value && value.TryGetValue(out string? text) ? text : null;
                entry["title"] = (title is null ? "" : title + " — ") + Describe(fork);
                changed = true;
            }
        }

        return changed ? JsonRpcWriter.ToBytes(writer => message.WriteTo(writer)) : null;
    }

    private static string Describe(SessionRecord fork)
    {
        string reason = NoticeText.ForkReason(fork.ForkReason, fork.ForkNote);
        return fork is { ForkUsedTokens: { } used, ContextWindow: { } window } && window > 0
            ? $"{reason}, at {NoticeText.Percent(used, window)} of the window"
            : reason;
    }

    private async Task AnswerAsync(IRelayOutlet outlet, byte[] answer, CancellationToken cancellationToken)
    {
        byte[] sent = answer;
        try
        {
            sent = Annotate(answer, history.Sessions()) ?? answer;
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidOperationException)
        {
            NotAnnotated(log, ex.Message);
        }

        await outlet.SendToClientAsync(sent, cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 216, Level = LogLevel.Warning, Message = "The agent's session/list answer went on without fork titles: {Reason}")]
    private static partial void NotAnnotated(ILogger logger, string reason);
}
