using System.Text.Json;
using System.Text.Json.Nodes;
using AcpHost.Acp;
using AcpHost.Events;
using AcpHost.Relay.Protocol;
using AcpHost.Relay.Relay;
using Microsoft.Extensions.Logging;

namespace AcpHost.Features.Fork;

/// <summary>
/// The <c>/fork [note]</c> slash command, for every client: the host adds <c>fork</c> to each
/// <c>available_commands_update</c> the agent sends (merged into the agent's list), and answers a prompt that starts
/// with <c>/fork</c> itself — it forks the session, streams an <c>agent_message_chunk</c> naming the new session, and
/// ends the turn with <c>end_turn</c>. Such a prompt never reaches the agent as a prompt. If the agent already offers a
/// command named <c>fork</c>, the host's takes its place.
/// </summary>
public sealed partial class ForkCommand(ForkService forks, ILogger<ForkCommand> log) : IMessageInterceptor
{
    /// <summary>The command's name, without the slash.</summary>
    public const string Name = "fork";

    private const string Description = "Fork this session: a new session holding its history as the model has it now (AcpHost)";

    /// <inheritdoc/>
    public IReadOnlyCollection<string> Methods { get; } = [AcpMethods.SessionUpdate, AcpMethods.SessionPrompt];

    /// <inheritdoc/>
    /// <remarks>The command list comes in <c>available_commands_update</c>, never in a chunk of text.</remarks>
    public bool WantsChunks => false;

    /// <inheritdoc/>
    /// <remarks>
    /// A prompt the agent reads as <c>/fork</c> holds the bytes <c>/fork</c> unless one of its characters is escaped
    /// (<c>\u002ffork</c>, <c>\/fork</c>, <c>/\u0066ork</c>): such prompts are decoded too, so the cheap look never
    /// misses a command the agent would see.
    /// </remarks>
    public bool Wants(string method, ReadOnlyMemory<byte> line) =>
        method == AcpMethods.SessionUpdate
            ? line.Span.IndexOf("\"available_commands_update\""u8) >= 0
            : line.Span.IndexOf("/fork"u8) >= 0 || line.Span.IndexOf("\\u"u8) >= 0 || line.Span.IndexOf("\\/"u8) >= 0;

    /// <inheritdoc/>
    public async ValueTask<InterceptResult> InterceptAsync(InterceptContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Method == AcpMethods.SessionUpdate)
        {
            return context.Direction == Direction.FromAgent && WithForkCommand(context.Line) is { } merged
                ? InterceptResult.Replace(merged)
                : InterceptResult.Forward;
        }

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
        return InterceptResult.ConsumeThen(token => RunAsync(outlet, promptId, sessionId, note, token));
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

    /// <summary>The update with <c>fork</c> added to <c>availableCommands</c>; null when it needs no change.</summary>
    public static byte[]? WithForkCommand(ReadOnlyMemory<byte> line)
    {
        JsonNode? message = JsonNode.Parse(line.Span, documentOptions: JsonDepth.Document);
        if (message?["params"]?["update"] is not JsonObject update
            || update["sessionUpdate"]?.GetValue<string>() != "available_commands_update"
            || update["availableCommands"] is not JsonArray commands)
        {
            return null;
        }

        if (commands.Any(c => c?["name"]?.GetValue<string>() == Name && c?["description"]?.GetValue<string>() == Description))
        {
            return null;
        }

        foreach (JsonNode? existing in commands.Where(c => c?["name"]?.GetValue<string>() == Name).ToList())
        {
            commands.Remove(existing);
        }

        // Typed as a node: the generic Add<T> serialises through reflection, which the trimmed build does not keep.
        JsonNode fork = new JsonObject
        {
            ["name"] = Name,
            ["description"] = Description,
            ["input"] = new JsonObject { ["hint"] = "optional note" },
        };
        commands.Add(fork);
        return JsonRpcWriter.ToBytes(writer => message.WriteTo(writer));
    }

    private async Task RunAsync(IRelayOutlet outlet, RequestId promptId, string sessionId, string? note, CancellationToken cancellationToken)
    {
        ForkResult result;
        try
        {
            result = await forks.ForkAsync(new ForkRequest(sessionId, ForkReasons.Command), outlet, cancellationToken).ConfigureAwait(false);
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
        await outlet.NotifyClientAsync(AcpMethods.SessionUpdate, MessageChunk(sessionId, text), cancellationToken).ConfigureAwait(false);
        await ClientReplies.ResultAsync(outlet, promptId, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("stopReason"u8, "end_turn"u8);
            writer.WriteEndObject();
        }, cancellationToken).ConfigureAwait(false);
    }

    private static byte[] MessageChunk(string sessionId, string text) => JsonRpcWriter.ToBytes(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("sessionId"u8, sessionId);
        writer.WriteStartObject("update"u8);
        writer.WriteString("sessionUpdate"u8, "agent_message_chunk"u8);
        writer.WriteStartObject("content"u8);
        writer.WriteString("type"u8, "text"u8);
        writer.WriteString("text"u8, text);
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
    });

    [LoggerMessage(EventId = 401, Level = LogLevel.Warning, Message = "Refused a session/prompt that could not be read unambiguously: {Reason}")]
    private static partial void UnreadablePrompt(ILogger logger, string reason);

    [LoggerMessage(EventId = 400, Level = LogLevel.Warning, Message = "The agent refused to fork {SessionId} for /fork: {Error}")]
    private static partial void ForkRefused(ILogger logger, string sessionId, string error);
}
