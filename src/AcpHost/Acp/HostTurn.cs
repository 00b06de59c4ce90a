using System.Buffers;
using AcpHost.Relay.Protocol;
using AcpHost.Relay.Relay;

namespace AcpHost.Acp;

/// <summary>
/// A prompt the host answers itself (a slash command of its own), written as the agent would write that turn in the
/// protocol version the client negotiated. ACP v1: the text as <c>agent_message_chunk</c>s, then the prompt's answer
/// <c>{stopReason: "end_turn"}</c>. ACP v2 (the agent's <c>dist/v2/prompt.js</c>): a <c>user_message</c> echoing the
/// prompt, the answer <c>{messageId}</c> naming it, <c>state_update</c> <c>running</c>, the chunks (each naming the
/// agent's message), then <c>state_update</c> <c>idle</c> with <c>stopReason: "end_turn"</c>; a v2 client waits for
/// that <c>idle</c>, not for the answer. Every chunk carries <c>_meta.acphost.command</c> naming the command.
/// </summary>
/// <param name="Command">The command answered, without the slash.</param>
/// <param name="Texts">What the host says, in Markdown, one chunk each.</param>
internal sealed record HostTurn(string Command, IReadOnlyList<string> Texts)
{
    /// <summary>Writes the whole turn to the client: <paramref name="prompt"/> is the prompt's content blocks as sent.</summary>
    public async Task AnswerAsync(IRelayOutlet outlet, bool v2, RequestId promptId, string sessionId, JsonElement? prompt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outlet);
        if (!v2)
        {
            await SendChunksAsync(outlet, sessionId, messageId: null, cancellationToken).ConfigureAwait(false);
            await RespondAsync(outlet, promptId, writer => writer.WriteString("stopReason"u8, "end_turn"u8), cancellationToken).ConfigureAwait(false);
            return;
        }

        string userMessage = SessionUpdates.NewMessageId();
        await UpdateAsync(outlet, sessionId, writer =>
        {
            writer.WriteString("sessionUpdate"u8, "user_message"u8);
            writer.WriteString("messageId"u8, userMessage);
            writer.WritePropertyName("content"u8);
            if (prompt is { ValueKind: JsonValueKind.Array } blocks)
            {
                blocks.WriteTo(writer);
            }
            else
            {
                writer.WriteStartArray();
                writer.WriteEndArray();
            }
        }, cancellationToken).ConfigureAwait(false);
        await RespondAsync(outlet, promptId, writer => writer.WriteString("messageId"u8, userMessage), cancellationToken).ConfigureAwait(false);
        await UpdateAsync(outlet, sessionId, writer =>
        {
            writer.WriteString("sessionUpdate"u8, "state_update"u8);
            writer.WriteString("state"u8, "running"u8);
        }, cancellationToken).ConfigureAwait(false);
        await SendChunksAsync(outlet, sessionId, SessionUpdates.NewMessageId(), cancellationToken).ConfigureAwait(false);
        await UpdateAsync(outlet, sessionId, writer =>
        {
            writer.WriteString("sessionUpdate"u8, "state_update"u8);
            writer.WriteString("state"u8, "idle"u8);
            writer.WriteString("stopReason"u8, "end_turn"u8);
        }, cancellationToken).ConfigureAwait(false);
    }

    private async Task SendChunksAsync(IRelayOutlet outlet, string sessionId, string? messageId, CancellationToken cancellationToken)
    {
        foreach (string text in Texts)
        {
            await UpdateAsync(outlet, sessionId, writer =>
            {
                writer.WriteString("sessionUpdate"u8, "agent_message_chunk"u8);
                SessionUpdates.WriteTextContent(writer, text);
                if (messageId is not null)
                {
                    writer.WriteString("messageId"u8, messageId);
                }

                writer.WriteStartObject("_meta"u8);
                writer.WriteStartObject("acphost"u8);
                writer.WriteString("command"u8, Command);
                writer.WriteEndObject();
                writer.WriteEndObject();
            }, cancellationToken).ConfigureAwait(false);
        }
    }

    private static ValueTask<bool> UpdateAsync(IRelayOutlet outlet, string sessionId, Action<Utf8JsonWriter> writeUpdate, CancellationToken cancellationToken) =>
        outlet.NotifyClientAsync(AcpMethods.SessionUpdate, SessionUpdates.Params(sessionId, writeUpdate), cancellationToken);

    private static ValueTask<bool> RespondAsync(IRelayOutlet outlet, RequestId promptId, Action<Utf8JsonWriter> writeMembers, CancellationToken cancellationToken)
    {
        byte[] result = JsonRpcWriter.ToBytes(writer =>
        {
            writer.WriteStartObject();
            writeMembers(writer);
            writer.WriteEndObject();
        });
        var buffer = new ArrayBufferWriter<byte>(result.Length + 64);
        JsonRpcWriter.WriteResponse(buffer, promptId, result);
        return outlet.SendToClientAsync(buffer.WrittenMemory, cancellationToken);
    }
}
