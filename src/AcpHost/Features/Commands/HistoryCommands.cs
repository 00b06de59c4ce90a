using AcpHost.Acp;
using AcpHost.Relay.Protocol;
using AcpHost.Relay.Relay;
using AcpHost.State;
using Microsoft.Extensions.Logging;
using AcpHost.Usage;

namespace AcpHost.Features.Commands;

/// <summary>
/// The host's own answers about a session's history, without the model and without sending anything to the agent:
/// <c>/forks</c> and <c>/compactions</c> are answered as agent message chunks in Markdown followed by the end of the turn
/// (<see cref="HostTurn"/>, in the negotiated protocol version), unless the agent offers a command of that name in the
/// session, which then wins. The agent's own <c>/context</c> goes on to the agent; at the end of its turn the host adds a
/// notice with what only it knows (<see cref="ContextNotice"/>).
/// </summary>
/// <param name="history">The sessions' lineage and compactions.</param>
/// <param name="sessions">The live fill of each session.</param>
/// <param name="notices">Where the <c>/context</c> addition goes.</param>
/// <param name="profile">The client's protocol version.</param>
/// <param name="agentNames">The host commands the agent's own commands win over, per session.</param>
/// <param name="markFor">The fill at which a session with a given window is forked before compaction; null when off.</param>
/// <param name="log">The log.</param>
/// <param name="usage">Each session's live usage, for the prompt cache in the <c>/context</c> addition.</param>
/// <param name="time">The clock.</param>
internal sealed partial class HistoryCommands(
    SessionHistory history, SessionRegistry sessions, INotices notices, ClientProfile profile, AgentCommandNames agentNames, Func<long, long?> markFor, ILogger<HistoryCommands> log,
    LiveUsage? usage = null, TimeProvider? time = null)
    : IMessageInterceptor
{
    private const string ContextCommand = "context";

    /// <inheritdoc/>
    public IReadOnlyCollection<string> Methods { get; } = [AcpMethods.SessionPrompt];

    /// <inheritdoc/>
    public bool WantsChunks => false;

    /// <inheritdoc/>
    /// <remarks>As for <c>/fork</c>: a prompt whose command is written with escapes is decoded too.</remarks>
    public bool Wants(string method, ReadOnlyMemory<byte> line) =>
        line.Span.IndexOf("/forks"u8) >= 0 || line.Span.IndexOf("/compactions"u8) >= 0 || line.Span.IndexOf("/context"u8) >= 0
        || line.Span.IndexOf("\\u"u8) >= 0 || line.Span.IndexOf("\\/"u8) >= 0;

    /// <inheritdoc/>
    public ValueTask<InterceptResult> InterceptAsync(InterceptContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Direction != Direction.FromClient || context.Info is not { Kind: MessageKind.Request, Id: { } promptId }
            || Read(context.Line.Span) is not { SessionId: { } sessionId } prompt || CommandOf(prompt) is not { } command)
        {
            return ValueTask.FromResult(InterceptResult.Forward);
        }

        if (command == ContextCommand)
        {
            notices.AtTurnEnd(NoticeKind.Context, sessionId, _ => Task.Run<HostNotice?>(() => ContextNoticeOf(sessionId), CancellationToken.None));
            return ValueTask.FromResult(InterceptResult.Forward);
        }

        if (agentNames.AgentOwns(sessionId, command))
        {
            return ValueTask.FromResult(InterceptResult.Forward);
        }

        // Answered off the pump: reading the ledgers must not hold up the client's other messages.
        IRelayOutlet outlet = context.Outlet;
        JsonElement? blocks = PromptParams.RawPromptOf(context.Line.Span);
        return ValueTask.FromResult(InterceptResult.ConsumeThen(token => AnswerAsync(outlet, promptId, sessionId, command, blocks, token)));
    }

    /// <summary>The host command (or <c>context</c>) a prompt's first text block starts with, as the agent reads slash commands.</summary>
    internal static string? CommandOf(PromptParams prompt)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        if (prompt.Prompt is not [{ Type: "text", Text: { } first }, ..] || first.TrimStart() is not ['/', .. string rest])
        {
            return null;
        }

        int end = rest.AsSpan().IndexOfAny(" \t\r\n");
        string name = end < 0 ? rest : rest[..end];
        return name is ContextCommand || (HostCommand.All.Any(c => c.Name == name) && name != HostCommand.Fork.Name) ? name : null;
    }

    private async Task AnswerAsync(IRelayOutlet outlet, RequestId promptId, string sessionId, string command, JsonElement? blocks, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            SessionStory story = SessionStory.Read(history, sessionId);
            text = command == HostCommand.Forks.Name ? HistoryText.Forks(story) : HistoryText.Compactions(story);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The client waits for an answer: it gets one, an error, rather than silence.
            NotAnswered(log, ex, command, sessionId);
            var error = new System.Buffers.ArrayBufferWriter<byte>(256);
            JsonRpcWriter.WriteError(error, promptId, JsonRpcErrorCodes.InternalError, $"AcpHost could not read this session's history for /{command}: {ex.Message}");
            await outlet.SendToClientAsync(error.WrittenMemory, cancellationToken).ConfigureAwait(false);
            return;
        }

        Answered(log, command, sessionId);
        await new HostTurn(command, [text]).AnswerAsync(outlet, profile.IsV2, promptId, sessionId, blocks, cancellationToken).ConfigureAwait(false);
    }

    private HostNotice ContextNoticeOf(string sessionId)
    {
        SessionInfo? live = sessions.Find(sessionId);
        var facts = new ContextFacts(live?.UsedTokens, live?.ContextWindow, markFor, usage?.Of(sessionId), (time ?? TimeProvider.System).GetUtcNow());
        return ContextNotice.For(SessionStory.Read(history, sessionId), facts);
    }

    private static PromptParams? Read(ReadOnlySpan<byte> line)
    {
        try
        {
            return JsonSerializer.Deserialize(line, AcpJsonContext.Default.RequestEnvelopePromptParams)?.Params;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // Not the host's to judge: the agent answers a prompt it cannot read.
            return null;
        }
    }

    [LoggerMessage(EventId = 431, Level = LogLevel.Error, Message = "Could not answer /{Command} for session {SessionId}")]
    private static partial void NotAnswered(ILogger logger, Exception exception, string command, string sessionId);

    [LoggerMessage(EventId = 430, Level = LogLevel.Information, Message = "Answered /{Command} for session {SessionId} (no model request, nothing sent to the agent)")]
    private static partial void Answered(ILogger logger, string command, string sessionId);
}
