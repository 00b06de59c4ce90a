using System.Diagnostics;
using System.Text;
using System.Text.Json;
using AcpHost.EndToEnd.Tests.Support;

namespace AcpHost.EndToEnd.Tests;

/// <summary>
/// The real agent's reader ends its input on a line longer than its SDK's limit (32 MiB), and the agent with it; the
/// host, whose own limit is larger, refuses such a line itself (-32600 to the client, with the request's id) and the
/// agent never sees it.
/// </summary>
[Collection(RealAgentCollection.Name)]
public class AgentLineLimitTests(AgentInstall install)
{
    private const int Timeout = 240_000;

    // The agent's SDK's DEFAULT_MAX_MESSAGE_BYTES, which the host's ACP dialect states too.
    private const long AgentMaxLineBytes = 32L * 1024 * 1024;

    /// <summary>A <c>session/new</c> request of exactly <paramref name="length"/> bytes, without its LF.</summary>
    private static string SessionNewOfLength(string id, string cwd, long length)
    {
        string head = $$"""{"jsonrpc":"2.0","id":"{{id}}","method":"session/new","params":{"cwd":{{JsonSerializer.Serialize(cwd)}},"mcpServers":[],"_meta":{"pad":" """;
        const string tail = "\"}}}";
        return head + new string('x', (int)(length - Encoding.UTF8.GetByteCount(head) - tail.Length)) + tail;
    }

    [Fact(Timeout = Timeout)]
    public async Task LineOverTheLimit_TheAgentRunDirectlyExits()
    {
        // The reference: the agent run directly dies on one byte more than the limit, which is why the host must not
        // pass such a line on.
        using Process agent = DirectAgent.Start(install);
        try
        {
            _ = agent.StandardError.ReadToEndAsync();
            _ = agent.StandardOutput.ReadToEndAsync();
            await agent.StandardInput.WriteAsync(SessionNewOfLength("big", "/tmp", AgentMaxLineBytes + 1) + "\n");
            await agent.StandardInput.FlushAsync();

            using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            await agent.WaitForExitAsync(bounded.Token);
        }
        finally
        {
            if (!agent.HasExited)
            {
                agent.Kill(entireProcessTree: true);
            }
        }
    }

    [Fact(Timeout = Timeout)]
    public async Task LineOverTheLimit_ThroughTheHost_IsRefusedWithItsIdAndTheAgentLivesOn()
    {
        await using RealAgentSession session = await RealAgentSession.StartAsync(install);
        await session.InitializeAsync();
        int agentPid = await session.Host.AgentPidAsync(RealAgentSession.StepTimeout);

        await session.Host.SendAsync(SessionNewOfLength("big", session.WorkDir, AgentMaxLineBytes + 1));
        JsonElement refused = await session.Host.WaitForAsync(m => m.TryGetProperty("id", out JsonElement id) && id.ValueKind == JsonValueKind.String && id.GetString() == "big", RealAgentSession.StepTimeout);

        Assert.Equal(-32600, refused.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Contains("too large", refused.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        string sessionId = await session.NewSessionAsync();
        Assert.Equal("end_turn", RealAgentSession.Result(await session.PromptAsync(sessionId, "Hello")).GetProperty("stopReason").GetString());
        Assert.True(ProcessTable.IsAlive(agentPid), "the agent died");
        Assert.DoesNotContain("Agent exited", session.Host.Stderr, StringComparison.Ordinal);
        StdoutAssert.OnlyJsonRpc(session.Host.StdoutLines);
    }
}
