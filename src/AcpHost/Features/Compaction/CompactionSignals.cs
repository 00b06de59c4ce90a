using AcpHost.Acp;
using AcpHost.Events;
using AcpHost.Relay.Diagnostics;
using AcpHost.Relay.Protocol;
using AcpHost.Relay.Relay;
using AcpHost.State;
using Microsoft.Extensions.Logging;

namespace AcpHost.Features.Compaction;

/// <summary>
/// The wire's side of compaction: reads every compaction signal of every relayed session off <c>session/update</c>
/// into the tracker, notes each <c>session/prompt</c> (a <c>/compact</c> among them) and each turn's end, and, where
/// the client declared compaction support and the facts are known, adds them to the agent's terminal
/// <c>compaction_update</c> under <c>_meta.acphost</c>. It only queues records; <see cref="CompactionWriter"/> writes
/// and announces them off the relay's path.
/// </summary>
/// <param name="sessions">The relayed sessions (their context windows).</param>
/// <param name="turns">Which sessions are in a turn, shared with the agent recovery, which voids them.</param>
/// <param name="tracker">Turns the signals into records.</param>
/// <param name="queue">Where the records wait for the ledger.</param>
/// <param name="poll">The transcript reads: at once for a compaction that ends without its facts, soon after a turn.</param>
/// <param name="flattened">The watch of what each compaction flattened, told when the wire reports one.</param>
/// <param name="teller">Told of each compaction that owes a notice.</param>
/// <param name="log">The log.</param>
internal sealed partial class CompactionSignals(
    SessionRegistry sessions, SessionTurns turns, CompactionTracker tracker, CompactionQueue queue, TranscriptPoll poll, FlattenedWatch flattened, CompactionTeller teller,
    ILogger<CompactionSignals> log) : IMessageInterceptor
{
    private readonly LogGate _unusable = new(20, TimeSpan.FromSeconds(10));

    /// <inheritdoc/>
    public IReadOnlyCollection<string> Methods { get; } = [AcpMethods.SessionUpdate, AcpMethods.SessionPrompt];

    /// <inheritdoc/>
    /// <remarks>
    /// Compaction is signalled by tool calls, <c>compaction_update</c> and metadata, never by a chunk of text (a chunk
    /// that talks about compacting is the model's prose).
    /// </remarks>
    public bool WantsChunks => false;

    /// <inheritdoc/>
    /// <remarks>Every compaction signal has "compact" in it; chunks of text and most other updates do not.</remarks>
    public bool Wants(string method, ReadOnlyMemory<byte> line) =>
        method != AcpMethods.SessionUpdate || line.Span.IndexOf("compact"u8) >= 0;

    /// <inheritdoc/>
    public async ValueTask<InterceptResult> InterceptAsync(InterceptContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Method == AcpMethods.SessionPrompt)
        {
            NotePrompt(context);
            return InterceptResult.Forward;
        }

        if (context.Direction != Direction.FromAgent || context.Info.Kind != MessageKind.Notification)
        {
            return InterceptResult.Forward;
        }

        SessionUpdateParams? update = JsonSerializer.Deserialize(context.Line.Span, AcpJsonContext.Default.SessionUpdateNotification)?.Params;
        if (update is not { SessionId: { } sessionId, Update: { } body } || CompactionSignalReader.Read(sessionId, body) is not { } signal)
        {
            return InterceptResult.Forward;
        }

        if (sessionId.Length == 0)
        {
            // No record can name no session (the ledger refuses it); the agent's message goes on as it came.
            GatedLog.Write(log, _unusable, "compaction signal without a session id", 0, static (log, _) => SignalWithoutSession(log));
            return InterceptResult.Forward;
        }

        if (signal.Phase == SignalPhase.Failed && tracker.Abandon(signal, out string? abandoned))
        {
            // It failed before flattening anything (too little to compact, the summary request failed): nothing to
            // record, and the notice expected since its start is not coming.
            if (abandoned is not null)
            {
                teller.Withdraw(sessionId, abandoned);
            }

            return InterceptResult.Forward;
        }

        await queue.EnqueueAsync(tracker.Observe(signal, sessions.Find(sessionId)?.ContextWindow), cancellationToken).ConfigureAwait(false);
        poll.Wake();
        flattened.Expect(sessionId);
        teller.ExpectNotice(sessionId, signal);

        if (body.Kind != "compaction_update" || signal.Phase != SignalPhase.Completed || signal.Key is null)
        {
            return InterceptResult.Forward;
        }

        // The client declared compaction support, so the wire gives it no counts. If the transcript already has them
        // (a small read of what was appended), they travel with the agent's own message; nothing is waited for.
        CompactionRecord? known = tracker.KnownFacts(sessionId, signal.Key);
        if (known is null)
        {
            await poll.ReadAsync(sessionId, cancellationToken).ConfigureAwait(false);
            known = tracker.KnownFacts(sessionId, signal.Key);
        }

        return known is null ? InterceptResult.Forward : InterceptResult.Replace(CompactionNotices.WithAcphostMeta(context.Line, known));
    }

    private void NotePrompt(InterceptContext context)
    {
        if (context.Info.Id is not { } id)
        {
            return;
        }

        if (context.Direction == Direction.FromClient && context.Info.Kind == MessageKind.Request)
        {
            // Only a line that mentions /compact has its prompt's text decoded; for the others the session id is enough,
            // read without the serializer, which would allocate about a kilobyte per turn.
            ReadOnlySpan<byte> line = context.Line.Span;
            if (line.IndexOf("/compact"u8) >= 0)
            {
                if (JsonSerializer.Deserialize(line, AcpJsonContext.Default.RequestEnvelopePromptParams)?.Params is { SessionId: { } sessionId } prompt)
                {
                    turns.PromptSent(id, sessionId, IsCompactCommand(prompt));
                }
            }
            else if (TurnFields.SessionIdOf(line) is { } sessionId)
            {
                turns.PromptSent(id, sessionId, isCompact: false);
            }
        }
        else if (context.Info.Kind == MessageKind.Response && turns.PromptAnswered(id) is { } sessionId)
        {
            poll.TurnEnded(sessionId);
        }
    }

    // The agent reads a slash command from the first block's first word, as Claude Code does.
    private static bool IsCompactCommand(PromptParams prompt) =>
        prompt.Prompt is [{ Type: "text", Text: { } text }, ..]
        && text.StartsWith("/compact", StringComparison.Ordinal)
        && (text.Length == "/compact".Length || char.IsWhiteSpace(text["/compact".Length]));

    [LoggerMessage(EventId = 305, Level = LogLevel.Warning, Message = "Ignored a compaction signal with an empty sessionId; the agent's message went on unchanged")]
    private static partial void SignalWithoutSession(ILogger logger);
}
