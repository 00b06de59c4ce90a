using System.Text.Json;
using System.Text.Json.Nodes;
using AcpHost.EndToEnd.Tests.Support;

namespace AcpHost.EndToEnd.Tests;

/// <summary>Every view of the same history gives the same counts: scan and the ledger, ps and sessions.</summary>
[Collection(RealAgentCollection.Name)]
public class LineageCountTests(AgentInstall install)
{
    private const int Timeout = 300_000;

    private static readonly TimeSpan CliTimeout = TimeSpan.FromSeconds(60);

    private static async Task<string> ForkAsync(RealAgentSession session, HostUnderTest host, string sessionId)
    {
        JsonElement forked = await host.RequestAsync("session/fork", new JsonObject { ["sessionId"] = sessionId, ["cwd"] = session.WorkDir, ["mcpServers"] = new JsonArray() }, RealAgentSession.StepTimeout);
        return RealAgentSession.Result(forked).GetProperty("sessionId").GetString()!;
    }

    private static async Task<JsonElement> CliJsonAsync(RealAgentSession session, params string[] arguments)
    {
        var (exitCode, stdout, stderr) = await HostCommand.RunAsync(arguments, session.Environment, CliTimeout);
        Assert.True(exitCode == 0, stderr);
        return JsonDocument.Parse(stdout).RootElement.Clone();
    }

    [Fact(Timeout = Timeout)]
    public async Task ScanAndLedger_CompactionThenTwoForks_BothCountOneCompactionInTheParent()
    {
        await using RealAgentSession session = await RealAgentSession.StartAsync(install);
        await session.InitializeAsync();
        string parent = await session.NewSessionAsync();
        await session.PromptAsync(parent, "Say hello");
        Assert.Equal("end_turn", RealAgentSession.Result(await session.PromptAsync(parent, "/compact")).GetProperty("stopReason").GetString());
        await session.PromptAsync(parent, "And after the compaction");
        string first = await ForkAsync(session, session.Host, parent);
        await session.PromptAsync(first, "Hello from the first fork");
        string second = await ForkAsync(session, session.Host, parent);
        await session.PromptAsync(second, "Hello from the second fork");

        // Once the host (and with it the agent) has exited, every transcript line is on disk.
        session.Host.CloseStdin();
        Assert.Equal(0, await session.Host.WaitForExitAsync(TimeSpan.FromSeconds(30)));

        // The forks' transcripts do carry copies of the parent's boundary: that is what must not be counted again.
        string projects = Path.Combine(session.ClaudeConfigDir, "projects");
        string forkTranscript = Directory.GetFiles(projects, first + ".jsonl", SearchOption.AllDirectories).Single();
        Assert.Contains(File.ReadLines(forkTranscript), line => line.Contains("compact_boundary", StringComparison.Ordinal) && line.Contains("\"forkedFrom\"", StringComparison.Ordinal));

        JsonElement scan = await CliJsonAsync(session, "scan", projects, "--json");
        JsonElement ledger = await CliJsonAsync(session, "compactions", "--data-dir", session.DataDir, "--json");
        JsonElement row = Assert.Single(scan.GetProperty("rows").EnumerateArray());
        JsonElement recorded = Assert.Single(ledger.EnumerateArray());
        Assert.Equal(parent, row.GetProperty("sessionId").GetString());
        Assert.Equal(parent, recorded.GetProperty("sessionId").GetString());
        Assert.Equal(recorded.GetProperty("preTokens").GetInt64(), row.GetProperty("preTokens").GetInt64());
        JsonElement summary = Assert.Single(scan.GetProperty("summary").EnumerateArray());
        Assert.Equal((1, 3), (summary.GetProperty("compactions").GetInt32(), summary.GetProperty("sessions").GetInt32()));
    }

    [Fact(Timeout = Timeout)]
    public async Task PsAndSessions_ForkResumedInALaterHost_BothNameItsParent()
    {
        await using RealAgentSession session = await RealAgentSession.StartAsync(install);
        await session.InitializeAsync();
        string parent = await session.NewSessionAsync();
        await session.PromptAsync(parent, "Say hello");
        string fork = await ForkAsync(session, session.Host, parent);
        await session.PromptAsync(fork, "Hello from the fork");
        session.Host.CloseStdin();
        Assert.Equal(0, await session.Host.WaitForExitAsync(TimeSpan.FromSeconds(30)));

        // The editor opens again and resumes the fork: on the wire nothing says it is one.
        await using HostUnderTest next = session.StartNextHost();
        RealAgentSession.Result(await next.RequestAsync("initialize", new JsonObject { ["protocolVersion"] = 1, ["clientCapabilities"] = new JsonObject() }, RealAgentSession.StepTimeout));
        RealAgentSession.Result(await next.RequestAsync("session/resume", new JsonObject { ["sessionId"] = fork, ["cwd"] = session.WorkDir, ["mcpServers"] = new JsonArray() }, RealAgentSession.StepTimeout));

        // The host learns the lineage off the relay's path; ps shows it once learned (bounded wait, not a sleep).
        JsonElement live = default;
        using (var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            while (true)
            {
                JsonElement hosts = await CliJsonAsync(session, "ps", "--json", "--data-dir", session.DataDir);
                live = Assert.Single(Assert.Single(hosts.EnumerateArray()).GetProperty("sessions").EnumerateArray(), s => s.GetProperty("sessionId").GetString() == fork);
                if (live.TryGetProperty("parentSessionId", out JsonElement known) && known.ValueKind == JsonValueKind.String)
                {
                    break;
                }

                await Task.Delay(200, deadline.Token);
            }
        }

        JsonElement recorded = Assert.Single((await CliJsonAsync(session, "sessions", "--data-dir", session.DataDir, "--json")).EnumerateArray(), s => s.GetProperty("sessionId").GetString() == fork);
        Assert.Equal(parent, live.GetProperty("parentSessionId").GetString());
        Assert.Equal(parent, recorded.GetProperty("parentSessionId").GetString());
        Assert.Equal(recorded.GetProperty("forkReason").GetString(), live.GetProperty("forkReason").GetString());
        next.CloseStdin();
        Assert.Equal(0, await next.WaitForExitAsync(TimeSpan.FromSeconds(30)));
    }
}
