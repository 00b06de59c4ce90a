using System.Text.Json;
using System.Text.Json.Nodes;
using AcpHost.EndToEnd.Tests.Fakes;
using AcpHost.EndToEnd.Tests.Support;

namespace AcpHost.EndToEnd.Tests;

[Collection(RealAgentCollection.Name)]
public class FullSessionTests(AgentInstall install)
{
    private const int Timeout = 240_000;

    [Fact(Timeout = Timeout)]
    public async Task Host_CarriesAWholeSession_NewPromptForkCompact()
    {
        await using RealAgentSession session = await RealAgentSession.StartAsync(install);
        HostUnderTest host = session.Host;

        JsonElement init = await session.InitializeAsync();
        Assert.Equal(1, init.GetProperty("protocolVersion").GetInt32());
        Assert.True(init.GetProperty("agentCapabilities").TryGetProperty("sessionCapabilities", out JsonElement sessionCapabilities));
        Assert.True(sessionCapabilities.TryGetProperty("fork", out _));

        string sessionId = await session.NewSessionAsync();

        // A prompt: the reply streams as agent_message_chunk updates and the turn ends with end_turn.
        JsonElement prompt = await session.PromptAsync(sessionId, "Say hello");
        Assert.Equal("end_turn", RealAgentSession.Result(prompt).GetProperty("stopReason").GetString());
        // Claude Code's own informational lines travel as chunks too, marked _meta.claudeCode.kind "informational"
        // (agent 0.101.0, in its default auto mode behind a gateway such as the fake API, warns about auto mode's
        // classifier billing): they are not the model's reply.
        string replied = string.Concat(session.Updates(sessionId)
            .Where(u => u.GetProperty("sessionUpdate").GetString() == "agent_message_chunk" && !IsInformational(u))
            .Select(u => u.GetProperty("content").GetProperty("text").GetString()));
        Assert.Equal(FakeMessagesApi.DefaultReplyText, replied);

        // session/fork passes through; the fork is live at once.
        JsonElement fork = await host.RequestAsync("session/fork", new JsonObject { ["sessionId"] = sessionId, ["cwd"] = session.WorkDir, ["mcpServers"] = new JsonArray() }, RealAgentSession.StepTimeout);
        string forkId = RealAgentSession.Result(fork).GetProperty("sessionId").GetString()!;
        Assert.NotEqual(sessionId, forkId);
        session.Api.ReplyText = "Hello from the fork.";
        JsonElement forkPrompt = await session.PromptAsync(forkId, "And you?");
        Assert.Equal("end_turn", RealAgentSession.Result(forkPrompt).GetProperty("stopReason").GetString());
        Assert.Contains(session.Updates(forkId), u => u.GetProperty("sessionUpdate").GetString() == "agent_message_chunk");

        // /compact passes through: the agent compacts and reports it with its synthetic tool call.
        JsonElement compact = await session.PromptAsync(sessionId, "/compact");
        Assert.Equal("end_turn", RealAgentSession.Result(compact).GetProperty("stopReason").GetString());
        JsonElement compactOutput = session.Updates(sessionId).Last(u =>
            u.GetProperty("sessionUpdate").GetString() == "tool_call_update" && u.TryGetProperty("rawOutput", out JsonElement raw) && raw.TryGetProperty("preTokens", out _));
        Assert.Equal("manual", compactOutput.GetProperty("rawOutput").GetProperty("trigger").GetString());
        Assert.True(compactOutput.GetProperty("rawOutput").GetProperty("preTokens").GetInt64() > 0);
        Assert.Contains(session.Api.Requests, r => r.Kind == FakeApiRequestKind.Summary);

        // The editor closes stdin: the host lets the agent go and exits 0.
        host.CloseStdin();
        Assert.Equal(0, await host.WaitForExitAsync(TimeSpan.FromSeconds(30)));

        // Nothing but JSON-RPC ever reached stdout.
        StdoutAssert.OnlyJsonRpc(host.StdoutLines);

        // The log says what happened, in stderr and in the log file under the data directory.
        Assert.Contains($"Agent initialized: @agentclientprotocol/claude-agent-acp {AgentInstall.Version}", host.Stderr, StringComparison.Ordinal);
        Assert.Contains($"Session created: {sessionId}", host.Stderr, StringComparison.Ordinal);
        Assert.Contains($"Session forked: {forkId} from {sessionId} (reason client", host.Stderr, StringComparison.Ordinal);
        string logFile = Assert.Single(Directory.GetFiles(Path.Combine(session.DataDir, "logs"), "acphost-*.log"));
        string log = await File.ReadAllTextAsync(logFile);
        Assert.Contains($"Session created: {sessionId}", log, StringComparison.Ordinal);
        // The agent's own stderr lands in the log under the source "agent", never on stdout.
        Assert.Contains(") agent: ", log, StringComparison.Ordinal);
    }

    private static bool IsInformational(JsonElement update) =>
        update.TryGetProperty("_meta", out JsonElement meta)
        && meta.TryGetProperty("claudeCode", out JsonElement claudeCode)
        && claudeCode.TryGetProperty("kind", out JsonElement kind)
        && kind.ValueKind == JsonValueKind.String
        && kind.GetString() == "informational";
}
