using System.Diagnostics;
using System.Text.Json;
using AcpHost.EndToEnd.Tests.Support;

namespace AcpHost.EndToEnd.Tests;

/// <summary>Seeing and forking live sessions from outside the editor, through another acphost process.</summary>
[Collection(RealAgentCollection.Name)]
public class ControlPlaneTests(AgentInstall install)
{
    private const int Timeout = 240_000;

    [Fact(Timeout = Timeout)]
    public async Task Fork_ALiveSessionNeverPrompted_SaysTheAgentsRefusalNotThatNoHostRelaysIt()
    {
        await using RealAgentSession session = await RealAgentSession.StartAsync(install);
        await session.InitializeAsync();
        string sessionId = await session.NewSessionAsync();

        // ps lists it, but the agent cannot fork it yet (no transcript): its refusal is said as it is, exit 1.
        var (exitCode, stdout, stderr) = await HostCommand.RunAsync(["fork", sessionId], session.Environment, TimeSpan.FromSeconds(60));

        Assert.True(exitCode == 1, $"exit {exitCode}: {stderr}");
        Assert.Equal("", stdout);
        Assert.Contains($"acphost: the fork of {sessionId} failed: ", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("no running AcpHost relays", stderr, StringComparison.Ordinal);
        Assert.Contains($"The agent refused to fork {sessionId}", session.Host.Stderr, StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task PsForkAndWatch_FromAnotherProcess_ActOnTheLiveSession()
    {
        await using RealAgentSession session = await RealAgentSession.StartAsync(install);
        await session.InitializeAsync();
        string sessionId = await session.NewSessionAsync();
        await session.PromptAsync(sessionId, "Say hello");

        // ps lists the host and its session.
        var (psExit, psOut, psErr) = await HostCommand.RunAsync(["ps", "--json"], session.Environment, TimeSpan.FromSeconds(30));
        Assert.True(psExit == 0, psErr);
        JsonElement host = Assert.Single(JsonDocument.Parse(psOut).RootElement.EnumerateArray());
        Assert.Equal(session.Host.ProcessId, host.GetProperty("pid").GetInt32());
        Assert.Contains(host.GetProperty("sessions").EnumerateArray(), s => s.GetProperty("sessionId").GetString() == sessionId);

        // watch, started now, sees the compaction as it happens.
        using Process watch = Process.Start(HostCommand.StartInfo(["watch", "--json", "--session", sessionId], session.Environment))!;
        var watched = new List<JsonElement>();
        var compactionSeen = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        Task reading = Task.Run(async () =>
        {
            while (await watch.StandardOutput.ReadLineAsync() is { } line)
            {
                JsonElement e = JsonDocument.Parse(line).RootElement.Clone();
                lock (watched)
                {
                    watched.Add(e);
                }

                if (e.GetProperty("event").GetString() == "compaction")
                {
                    compactionSeen.TrySetResult(e);
                }
            }
        });
        // Once the host logs the subscription, every later event reaches the watcher.
        using (var subscribed = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            while (!session.Host.Stderr.Contains("A control client subscribed to events", StringComparison.Ordinal))
            {
                Assert.False(watch.HasExited, "watch exited before it subscribed");
                await Task.Delay(50, subscribed.Token);
            }
        }

        await session.PromptAsync(sessionId, "/compact");
        JsonElement compaction = await compactionSeen.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(sessionId, compaction.GetProperty("sessionId").GetString());
        Assert.Equal("manual", compaction.GetProperty("trigger").GetString());
        Assert.True(compaction.GetProperty("preTokens").GetInt64() > 0);

        // fork from outside: the new session is live in the editor's connection at once.
        var (forkExit, forkOut, forkErr) = await HostCommand.RunAsync(["fork", sessionId, "--json"], session.Environment, TimeSpan.FromSeconds(60));
        Assert.True(forkExit == 0, forkErr);
        JsonElement forked = JsonDocument.Parse(forkOut).RootElement;
        string child = forked.GetProperty("sessionId").GetString()!;
        Assert.Equal(sessionId, forked.GetProperty("parentSessionId").GetString());
        JsonElement announced = await session.Host.WaitForAsync(m => m.TryGetProperty("method", out JsonElement method) && method.GetString() == "_acphost/session_forked", TimeSpan.FromSeconds(30));
        Assert.Equal(("control", child), (announced.GetProperty("params").GetProperty("reason").GetString(), announced.GetProperty("params").GetProperty("sessionId").GetString()));
        JsonElement prompt = await session.PromptAsync(child, "Hello, fork");
        Assert.Equal("end_turn", RealAgentSession.Result(prompt).GetProperty("stopReason").GetString());

        // A session no live host relays is a clear error, exit code 2.
        var (unknownExit, _, unknownErr) = await HostCommand.RunAsync(["fork", "no-such-session"], session.Environment, TimeSpan.FromSeconds(30));
        Assert.Equal(2, unknownExit);
        Assert.Contains("no-such-session", unknownErr, StringComparison.Ordinal);

        watch.Kill();
        await watch.WaitForExitAsync();
        await reading.WaitAsync(TimeSpan.FromSeconds(10));
        lock (watched)
        {
            Assert.Contains(watched, e => e.GetProperty("event").GetString() == "usage");
        }
    }

    [Fact(Timeout = Timeout)]
    public async Task KilledHost_LeavesNoSocketThatBreaksTheNextOne()
    {
        using var runtime = new TempDirectory("ah-rt");
        int firstPid;
        await using (RealAgentSession first = await RealAgentSession.StartWithRuntimeDirAsync(install, runtime.Path))
        {
            await first.InitializeAsync();
            firstPid = first.Host.ProcessId;
            Assert.True(File.Exists(Path.Combine(runtime.Path, "acphost", $"{firstPid}.sock")));
            HostUnderTest.Signal(firstPid, "KILL");
            await first.Host.WaitForExitAsync(TimeSpan.FromSeconds(30));
        }

        // The dead host's socket is still there; the next host, and ps, cope with it.
        await using RealAgentSession second = await RealAgentSession.StartWithRuntimeDirAsync(install, runtime.Path);
        await second.InitializeAsync();
        string sessionId = await second.NewSessionAsync();

        var (exitCode, stdout, stderr) = await HostCommand.RunAsync(["ps", "--json"], second.Environment, TimeSpan.FromSeconds(30));
        Assert.True(exitCode == 0, stderr);
        JsonElement host = Assert.Single(JsonDocument.Parse(stdout).RootElement.EnumerateArray());
        Assert.Equal(second.Host.ProcessId, host.GetProperty("pid").GetInt32());
        Assert.Contains(host.GetProperty("sessions").EnumerateArray(), s => s.GetProperty("sessionId").GetString() == sessionId);
        Assert.False(File.Exists(Path.Combine(runtime.Path, "acphost", $"{firstPid}.sock")));

        // A clean exit removes the socket.
        second.Host.CloseStdin();
        Assert.Equal(0, await second.Host.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Empty(Directory.GetFiles(Path.Combine(runtime.Path, "acphost"), "*.sock"));
    }
}
