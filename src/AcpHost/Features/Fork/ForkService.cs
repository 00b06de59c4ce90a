using AcpHost.Acp;
using AcpHost.Events;
using AcpHost.Relay.Protocol;
using AcpHost.Relay.Relay;
using AcpHost.State;

namespace AcpHost.Features.Fork;

/// <summary>
/// Forks a session by asking the agent for <c>session/fork</c> under the host's own request id, with the parent's cwd
/// and MCP servers unless told otherwise, and optionally rooted at a message through JetBrains AIR's
/// <c>_meta.jetbrains.air.fork</c>. A fork that succeeds is registered with its reason (the lineage recorder persists
/// it) and announced before any message of the new session reaches the client. A fork the host made for itself or
/// for a program (every reason but <see cref="ForkReasons.Client"/>) is then closed on the agent, so that it costs no
/// agent process until someone uses it (<see cref="ClosedForks"/>). A refusal changes nothing and comes back as the
/// agent's error.
/// </summary>
internal sealed class ForkService(SessionRegistry sessions, TimeProvider time, ForkAnnouncer? announcer = null, ClosedForks? closedForks = null)
{
    /// <summary>Forks; throws <see cref="AgentUnavailableException"/> when the agent is gone.</summary>
    public async Task<ForkResult> ForkAsync(ForkRequest request, IRelayOutlet outlet, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(outlet);
        SessionInfo? parent = sessions.Find(request.ParentSessionId);
        string? cwd = request.Cwd ?? parent?.Cwd;
        if (cwd is null)
        {
            return Refused(request, JsonRpcErrorCodes.InvalidParams, $"Session {request.ParentSessionId} is not one this host relays; give its cwd to fork it");
        }

        JsonElement? mcpServers = request.McpServers ?? parent?.McpServers;
        announcer?.BeginFork();
        SessionInfo? fork = null;
        AgentResponse response;
        try
        {
            response = await outlet.RequestAgentAsync(AcpMethods.SessionFork, ForkParams(request, cwd, mcpServers), cancellationToken).ConfigureAwait(false);
            if (response.IsSuccess && response.Result is { ValueKind: JsonValueKind.Object } answer
                && answer.TryGetProperty("sessionId"u8, out JsonElement id) && id.ValueKind == JsonValueKind.String)
            {
                fork = new SessionInfo(id.GetString()!, cwd, time.GetUtcNow(), AcpMethods.SessionFork, request.ParentSessionId)
                {
                    ForkReason = request.Reason,
                    ForkNote = request.Note,
                    ForkUsedTokens = parent?.UsedTokens,
                    McpServers = mcpServers,
                    UsedTokens = parent?.UsedTokens,
                    ContextWindow = parent?.ContextWindow,
                };
                announcer?.Expect(fork.SessionId);
                sessions.Open(fork);
            }
        }
        finally
        {
            if (announcer is not null)
            {
                await announcer.EndForkAsync(fork, outlet, cancellationToken).ConfigureAwait(false);
            }
        }

        if (fork is null)
        {
            return new ForkResult(null, request.ParentSessionId, null, response.Error ?? ErrorElement(JsonRpcErrorCodes.InternalError, "The agent's session/fork result has no sessionId"));
        }

        if (request.Reason != ForkReasons.Client && closedForks is not null)
        {
            await closedForks.CloseAsync(fork.SessionId, outlet, cancellationToken).ConfigureAwait(false);
        }

        return new ForkResult(fork.SessionId, request.ParentSessionId, response.Result, null);
    }

    private static byte[] ForkParams(ForkRequest request, string cwd, JsonElement? mcpServers) => JsonRpcWriter.ToBytes(writer =>
    {
        writer.WriteStartObject();
        SessionTarget.WriteMembers(writer, request.ParentSessionId, cwd, mcpServers);
        if (request.MessageId is not null)
        {
            writer.WriteStartObject("_meta"u8);
            writer.WriteStartObject("jetbrains"u8);
            writer.WriteStartObject("air"u8);
            writer.WriteStartObject("fork"u8);
            writer.WriteNumber("version"u8, 1);
            writer.WriteString("messageId"u8, request.MessageId);
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    });

    private static ForkResult Refused(ForkRequest request, int code, string message) =>
        new(null, request.ParentSessionId, null, ErrorElement(code, message));

    private static JsonElement ErrorElement(int code, string message) =>
        JsonDocument.Parse(JsonRpcWriter.ToBytes(writer => JsonRpcWriter.WriteErrorObject(writer, code, message))).RootElement.Clone();
}
