using System.Text.Json.Nodes;
using AcpHost.Acp;
using AcpHost.Relay.Protocol;
using AcpHost.Relay.Relay;
using AcpHost.State;

namespace AcpHost.Features.Commands;

/// <summary>
/// Offers the host's slash commands (<see cref="HostCommand.All"/>) wherever the agent lists its own: every
/// <c>available_commands_update</c>, and in ACP v2 the results of <c>session/new</c>, <c>session/resume</c> and
/// <c>session/fork</c>, which carry the session's first list (v2 sends no update for it). Merged into the agent's list,
/// in the negotiated version's shape; an agent command of the same name wins over a host command that yields to it
/// (noted in <see cref="AgentCommandNames"/>), and <c>/fork</c> takes the agent's place. Everything else in the message
/// stays as the agent sent it.
/// </summary>
internal sealed class CommandList(ClientProfile profile, AgentCommandNames agentNames) : IMessageInterceptor
{
    // v2 session/resume results name no session: the request did. Bounded: an entry leaves with its response.
    private const int MaxResumes = 1024;
    private readonly ConcurrentDictionary<RequestId, string> _resumes = new();

    /// <inheritdoc/>
    public IReadOnlyCollection<string> Methods { get; } = [AcpMethods.SessionUpdate, AcpMethods.SessionNew, AcpMethods.SessionResume, AcpMethods.SessionFork];

    /// <inheritdoc/>
    /// <remarks>The command list comes in <c>available_commands_update</c>, never in a chunk of text.</remarks>
    public bool WantsChunks => false;

    /// <inheritdoc/>
    public bool Wants(string method, ReadOnlyMemory<byte> line) =>
        method == AcpMethods.SessionUpdate ? line.Span.IndexOf("\"available_commands_update\""u8) >= 0 : profile.IsV2;

    /// <inheritdoc/>
    public ValueTask<InterceptResult> InterceptAsync(InterceptContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Direction == Direction.FromClient)
        {
            if (context.Method == AcpMethods.SessionResume && context.Info is { Kind: MessageKind.Request, Id: { } id } && TurnFields.SessionIdOf(context.Line.Span) is { } resumed)
            {
                if (_resumes.Count >= MaxResumes)
                {
                    _resumes.Clear();
                }

                _resumes[id] = resumed;
            }

            return ValueTask.FromResult(InterceptResult.Forward);
        }

        byte[]? merged = context.Method == AcpMethods.SessionUpdate ? MergeIntoUpdate(context.Line) : MergeIntoResult(context);
        return ValueTask.FromResult(merged is null ? InterceptResult.Forward : InterceptResult.Replace(merged));
    }

    private byte[]? MergeIntoUpdate(ReadOnlyMemory<byte> line)
    {
        JsonNode? message = JsonTree.Parse(line.Span);
        if (message?["params"] is not JsonObject parameters
            || parameters["sessionId"] is not JsonValue sessionValue || !sessionValue.TryGetValue(out string? sessionId)
            || parameters["update"] is not JsonObject update
            || update["sessionUpdate"] is not JsonValue kind || !kind.TryGetValue(out string? kindText) || kindText != "available_commands_update"
            || update["availableCommands"] is not JsonArray commands)
        {
            return null;
        }

        return Merge(sessionId, commands) ? JsonRpcWriter.ToBytes(writer => message.WriteTo(writer)) : null;
    }

    private byte[]? MergeIntoResult(InterceptContext context)
    {
        if (context.Info is not { Kind: MessageKind.Response, Id: { } id })
        {
            return null;
        }

        string? requested = null;
        if (context.Method == AcpMethods.SessionResume && !_resumes.TryRemove(id, out requested))
        {
            return null;
        }

        JsonNode? message = JsonTree.Parse(context.Line.Span);
        if (!profile.IsV2 || message?["result"] is not JsonObject result)
        {
            return null;
        }

        string? sessionId = requested ?? (result["sessionId"] is JsonValue value && value.TryGetValue(out string? created) ? created : null);
        if (sessionId is null)
        {
            return null;
        }

        if (result["availableCommands"] is not JsonArray commands)
        {
            result["availableCommands"] = commands = [];
        }

        return Merge(sessionId, commands) ? JsonRpcWriter.ToBytes(writer => message.WriteTo(writer)) : null;
    }

    private bool Merge(string sessionId, JsonArray commands)
    {
        agentNames.Offered(sessionId, HostCommand.YieldedIn(commands));
        return HostCommand.MergeInto(commands, profile.IsV2);
    }
}
