using System.Diagnostics;
using System.Text.Json;
using AcpHost.EndToEnd.Tests.Support;

namespace AcpHost.EndToEnd.Tests;

/// <summary>
/// bad-input.md C36 against the real agent: a line padded with what the agent's SDK trims away (a BOM, NBSP, U+2028)
/// is accepted by the agent run directly, and so it is through the host, which reads it as the agent does.
/// </summary>
[Collection(RealAgentCollection.Name)]
public class PaddedLineTests(AgentInstall install)
{
    private const int Timeout = 240_000;
    private const string Padding = "\uFEFF\u00A0";
    private const string TrailingPadding = "\u2028\u3000";
    private const string Initialize = """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":1,"clientCapabilities":{}}}""";

    [Fact(Timeout = Timeout)]
    public async Task PaddedInitialize_TheAgentRunDirectlyAnswersIt()
    {
        using Process agent = DirectAgent.Start(install);
        try
        {
            _ = agent.StandardError.ReadToEndAsync();
            await agent.StandardInput.WriteAsync(Padding + Initialize + TrailingPadding + "\n");
            await agent.StandardInput.FlushAsync();
            string? answer = await agent.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));

            // The reference: the agent itself reads the padded line (no -32700), which is what the host must match.
            JsonElement response = JsonDocument.Parse(answer!).RootElement;
            Assert.Equal(1, response.GetProperty("id").GetInt32());
            Assert.True(response.TryGetProperty("result", out _), answer);
        }
        finally
        {
            agent.Kill(entireProcessTree: true);
        }
    }

    [Fact(Timeout = Timeout)]
    public async Task PaddedRequests_ThroughTheHost_TheAgentAnswersThemAsIfUnpadded()
    {
        await using RealAgentSession session = await RealAgentSession.StartAsync(install);

        await session.Host.SendAsync(Padding + Initialize + TrailingPadding);
        JsonElement initialized = await session.Host.WaitForAsync(m => m.TryGetProperty("id", out JsonElement id) && id.ValueKind == JsonValueKind.Number && id.GetInt32() == 1, RealAgentSession.StepTimeout);
        Assert.True(initialized.TryGetProperty("result", out _), initialized.GetRawText());

        string sessionNew = $$$"""{"jsonrpc":"2.0","id":2,"method":"session/new","params":{"cwd":{{{JsonSerializer.Serialize(session.WorkDir)}}},"mcpServers":[]}}""";
        await session.Host.SendAsync(Padding + sessionNew + TrailingPadding);
        JsonElement created = await session.Host.WaitForAsync(m => m.TryGetProperty("id", out JsonElement id) && id.ValueKind == JsonValueKind.Number && id.GetInt32() == 2, RealAgentSession.StepTimeout);
        string sessionId = RealAgentSession.Result(created).GetProperty("sessionId").GetString()!;

        // The session is the host's as much as the agent's: a prompt on it ends its turn as usual.
        Assert.Equal("end_turn", RealAgentSession.Result(await session.PromptAsync(sessionId, "Hello")).GetProperty("stopReason").GetString());
        Assert.DoesNotContain("Rejected a client message", session.Host.Stderr, StringComparison.Ordinal);
        StdoutAssert.OnlyJsonRpc(session.Host.StdoutLines);
    }
}
