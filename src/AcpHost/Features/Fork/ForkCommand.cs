using AcpHost.Acp;
using AcpHost.Events;
using AcpHost.Relay.Protocol;
using AcpHost.Relay.Relay;
using AcpHost.State;
using Microsoft.Extensions.Logging;

namespace AcpHost.Features.Fork;

/// <summary>
/// The <c>/fork [note]</c> slash command, for every client (offered in the agent's command list with the host's other
/// commands, <see cref="HostCommand.Fork"/>): the host answers a prompt that starts with <c>/fork</c> itself — it forks
/// the session, says which new session holds it, and ends the turn, in the protocol version the client negotiated
/// (<see cref="HostTurn"/>). Such a prompt never reaches the agent as a prompt.
/// </summary>
internal sealed partial class ForkCommand(ForkService forks, ILogger<ForkCommand> log, ClientProfile? profile = null) : IMessageInterceptor
{
    /// <summary>The command's name, without the slash.</summary>
    public const string Name = "fork";

    /// <inheritdoc/>
    public IReadOnlyCollection<string> Methods { get; } = [AcpMethods.SessionPrompt];

    /// <inheritdoc/>
    public bool WantsChunks => false;

    /// <inheritdoc/>
    /// <remarks>
    /// A prompt the agent reads as <c>/fork</c> holds the bytes <c>/fork</c> unless one of its characters is escaped
    /// (<c>\u002ffork</c>, <c>\/fork</c>, <c>/\u0066ork</c>): such prompts are decoded too, so the cheap look never
    /// misses a command the agent would see.
    /// </remarks>
    public bool Wants(string method, ReadOnlyMemory<byte> line) =>
        line.Span.IndexOf("/fork"u8) >= 0 || line.Span.IndexOf("\\u"u8) >= 0 || line.Span.IndexOf("\\/"u8) >= 0;

    /// <inheritdoc/>
    public async ValueTask<InterceptResult> InterceptAsync(InterceptContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Direction != Direction.FromClient || context.Info.Kind != MessageKind.Request)
        {
            return InterceptResult.Forward;
        }

        PromptParams? read;
        try
        {
            read = JsonSerializer.Deserialize(context.Line.Span, AcpJsonContext.Default.RequestEnvelopePromptParams)?.Params;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // The host cannot tell whether the agent would read /fork here (a lone surrogate escape, a member of an
            // unexpected type): refused rather than guessed, so the two never act on different readings.
            UnreadablePrompt(log, ex.Message);
            await ClientReplies.ErrorAsync(context.Outlet, context.Info.Id!.Value, JsonRpcErrorCodes.InvalidRequest,
                "Invalid request: the prompt could not be read unambiguously: " + ex.Message, cancellationToken).ConfigureAwait(false);
            return InterceptResult.Consume;
        }

        if (read is not { SessionId: { } sessionId } prompt || !TryReadCommand(prompt, out string? note))
        {
            return InterceptResult.Forward;
        }

        // Answered off the pump: the client's other messages must not wait for the agent's session/fork.
        IRelayOutlet outlet = context.Outlet;
        RequestId promptId = context.Info.Id!.Value;
        JsonElement? blocks = PromptParams.RawPromptOf(context.Line.Span);
        return InterceptResult.ConsumeThen(token => RunAsync(outlet, promptId, sessionId, note, blocks, token));
    }

    /// <summary>True when the prompt's first block is text starting with <c>/fork</c> (and not, say, <c>/forklift</c>).</summary>
    public static bool TryReadCommand(PromptParams prompt, out string? note)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        note = null;
        string? text = prompt.Prompt is [{ Type: "text", Text: { } first }, ..] ? first.TrimStart() : null;
        if (text is null || !text.StartsWith("/" + Name, StringComparison.Ordinal))
        {
            return false;
        }

        string rest = text[(Name.Length + 1)..];
        if (rest.Length > 0 && !char.IsWhiteSpace(rest[0]))
        {
            return false;
        }

        note = string.IsNullOrWhiteSpace(rest) ? null : rest.Trim();
        return true;
    }

    private async Task RunAsync(IRelayOutlet outlet, RequestId promptId, string sessionId, string? note, JsonElement? blocks, CancellationToken cancellationToken)
    {
        ForkResult result;
        try
        {
            result = await forks.ForkAsync(new ForkRequest(sessionId, ForkReasons.Command, Note: note), outlet, cancellationToken).ConfigureAwait(false);
        }
        catch (AgentUnavailableException ex)
        {
            await ClientReplies.ErrorAsync(outlet, promptId, JsonRpcErrorCodes.InternalError, "Cannot fork: " + ex.Message, cancellationToken).ConfigureAwait(false);
            return;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await ClientReplies.StoppingAsync(outlet, promptId).ConfigureAwait(false);
            return;
        }

        if (!result.Succeeded)
        {
            ForkRefused(log, sessionId, result.Error?.GetRawText() ?? "");
            await ClientReplies.ErrorAsync(outlet, promptId, result.Error!.Value, cancellationToken).ConfigureAwait(false);
            return;
        }

        string text = $"Forked this session into {result.SessionId}: the new session holds this conversation as the model has it now"
            + (note is null ? "" : $" (note: {note})") + ". Open it to continue from here; this session goes on unchanged.";
        await new HostTurn(Name, [text]).AnswerAsync(outlet, profile?.IsV2 == true, promptId, sessionId, blocks, cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 401, Level = LogLevel.Warning, Message = "Refused a session/prompt that could not be read unambiguously: {Reason}")]
    private static partial void UnreadablePrompt(ILogger logger, string reason);

    [LoggerMessage(EventId = 400, Level = LogLevel.Warning, Message = "The agent refused to fork {SessionId} for /fork: {Error}")]
    private static partial void ForkRefused(ILogger logger, string sessionId, string error);
}
