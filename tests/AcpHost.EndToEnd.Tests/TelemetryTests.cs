using System.Diagnostics;
using System.Text.Json;
using AcpHost.EndToEnd.Tests.Otlp;
using AcpHost.EndToEnd.Tests.Support;

namespace AcpHost.EndToEnd.Tests;

/// <summary>
/// OpenTelemetry export from the real host around the real agent: what a collector receives over OTLP, both protocols,
/// decoded from the wire; a collector that is not there costs a prompt turn nothing and never touches stdout.
/// </summary>
[Collection(RealAgentCollection.Name)]
public class TelemetryTests(AgentInstall install)
{
    private const int Timeout = 300_000;
    private static readonly TimeSpan ArrivalTimeout = TimeSpan.FromSeconds(60);

    [Theory(Timeout = Timeout)]
    [InlineData("http/protobuf")]
    [InlineData("grpc")]
    public async Task Otlp_CompactAndFork_TheCollectorGetsBothWithTheirCounts(string protocol)
    {
        await using OtlpReceiver receiver = await OtlpReceiver.StartAsync(protocol);
        await using RealAgentSession session = await RealAgentSession.StartWithEnvironmentAsync(install, receiver.ExportEnvironment());
        await session.InitializeAsync();
        string parent = await session.NewSessionAsync();
        await session.PromptAsync(parent, "Say hello");
        Assert.Equal("end_turn", RealAgentSession.Result(await session.PromptAsync(parent, "/compact")).GetProperty("stopReason").GetString());
        JsonElement rawOutput = session.Updates(parent).Last(u => u.TryGetProperty("rawOutput", out JsonElement r) && r.TryGetProperty("preTokens", out _)).GetProperty("rawOutput");

        int from = session.Host.MessageCount;
        await session.PromptAsync(parent, "/fork from telemetry");
        JsonElement forked = (await session.Host.WaitForAsync(
            m => m.TryGetProperty("method", out JsonElement method) && method.GetString() == "_acphost/session_forked", TimeSpan.FromSeconds(30), from)).GetProperty("params");
        string child = forked.GetProperty("sessionId").GetString()!;

        OtlpLog compaction = await receiver.WaitForLogAsync(l => l["event.name"] as string == "acphost.compaction" && l["session.id"] as string == parent, ArrivalTimeout);
        Assert.Equal("manual", compaction["trigger"]);
        Assert.Equal(rawOutput.GetProperty("preTokens").GetInt64(), compaction["pre_tokens"]);
        Assert.Equal(rawOutput.GetProperty("postTokens").GetInt64(), compaction["post_tokens"]);
        Assert.Equal("tool_call", compaction["source"]);
        Assert.False(string.IsNullOrEmpty(compaction["id"] as string));
        Assert.InRange(compaction.Time, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.Equal("acphost", compaction.Resource["service.name"]);
        Assert.Equal((long)session.Host.ProcessId, compaction.Resource["process.pid"]);
        Assert.Equal("@agentclientprotocol/claude-agent-acp", compaction.Resource["acphost.agent.package"]);
        Assert.True(compaction.Resource.ContainsKey("host.name"));
        Assert.True(compaction.Resource.ContainsKey("service.version"));

        OtlpLog fork = await receiver.WaitForLogAsync(l => l["event.name"] as string == "acphost.session.fork" && l["session.id"] as string == child, ArrivalTimeout);
        Assert.Equal(parent, fork["parent.session.id"]);
        Assert.Equal("command", fork["reason"]);

        OtlpLog open = await receiver.WaitForLogAsync(l => l["event.name"] as string == "acphost.session.open" && l["session.id"] as string == parent, ArrivalTimeout);
        Assert.False(open.Attributes.ContainsKey("cwd"));
        Assert.DoesNotContain(open.Attributes.Values, v => v is string s && s.Contains(session.WorkDir, StringComparison.Ordinal));

        OtlpPoint compactions = await receiver.WaitForPointAsync(p => p.Metric == "acphost.compaction.count" && p.Attributes.GetValueOrDefault("trigger") as string == "manual", ArrivalTimeout);
        Assert.Equal(1, compactions.Value);
        await receiver.WaitForPointAsync(p => p.Metric == "acphost.session.fork.count" && p.Attributes.GetValueOrDefault("reason") as string == "command", ArrivalTimeout);
        await receiver.WaitForPointAsync(p => p.Metric == "acphost.relay.messages" && p.Attributes.GetValueOrDefault("direction") as string == "client_to_agent" && p.Value >= 4, ArrivalTimeout);
        await receiver.WaitForPointAsync(p => p.Metric == "acphost.relay.bytes" && p.Attributes.GetValueOrDefault("direction") as string == "agent_to_client" && p.Value > 0, ArrivalTimeout);

        StdoutAssert.OnlyJsonRpc(session.Host.StdoutLines);
    }

    [Fact(Timeout = Timeout)]
    public async Task Otlp_CollectorNotThere_PromptTurnsNoSlowerAndStdoutOnlyJsonRpc()
    {
        const int turns = 7;
        await using RealAgentSession off = await RealAgentSession.StartAsync(install);
        await using RealAgentSession on = await RealAgentSession.StartWithEnvironmentAsync(install, new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = ClosedCollector.Endpoint(),
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "200",
            ["OTEL_BLRP_SCHEDULE_DELAY"] = "100",
        });
        await Task.WhenAll(off.InitializeAsync(), on.InitializeAsync());
        string offSession = await off.NewSessionAsync();
        string onSession = await on.NewSessionAsync();
        await Task.WhenAll(off.PromptAsync(offSession, "Warm up"), on.PromptAsync(onSession, "Warm up"));

        // The two hosts take turns, in alternating order, so that the machine's load falls on both alike.
        var offTimes = new List<double>();
        var onTimes = new List<double>();
        for (int i = 0; i < turns; i++)
        {
            if (i % 2 == 0)
            {
                offTimes.Add(await TimeTurnAsync(off, offSession, i));
                onTimes.Add(await TimeTurnAsync(on, onSession, i));
            }
            else
            {
                onTimes.Add(await TimeTurnAsync(on, onSession, i));
                offTimes.Add(await TimeTurnAsync(off, offSession, i));
            }
        }

        double offMedian = Median(offTimes);
        double onMedian = Median(onTimes);
        Assert.True(
            onMedian <= (offMedian * 1.5) + 250,
            $"a turn took {onMedian:F0} ms (median) with the collector unreachable, {offMedian:F0} ms without telemetry; all: [{string.Join(", ", onTimes.Select(t => t.ToString("F0")))}] vs [{string.Join(", ", offTimes.Select(t => t.ToString("F0")))}]");
        Assert.Contains("Telemetry on", on.Host.Stderr, StringComparison.Ordinal);
        StdoutAssert.OnlyJsonRpc(on.Host.StdoutLines);
    }

    [Fact(Timeout = Timeout)]
    public async Task Otlp_CollectorNotThere_ExportProblemsLogged()
    {
        // The count comes from the OpenTelemetry SDK's event sources, which a native build has only because the
        // project keeps EventSource in: run against every build (scripts/test.sh), this checks that it does.
        using var data = new TempDirectory("acphost-otel-problems");
        await using HostUnderTest host = HostUnderTest.Start(["run", "--data-dir", data.Path, "--otlp", "--", "cat"], new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = ClosedCollector.Endpoint(),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "200",
        }, data.Path);

        var waited = Stopwatch.StartNew();
        while (!host.Stderr.Contains("Telemetry export: ", StringComparison.Ordinal))
        {
            Assert.True(waited.Elapsed < ArrivalTimeout, $"no export problem logged in {ArrivalTimeout.TotalSeconds:F0} s; stderr:\n{host.Stderr}");
            await Task.Delay(100);
        }

        Assert.Matches(@"Telemetry export: \d+ problem\(s\) since the last report", host.Stderr);
        host.CloseStdin();
        Assert.Equal(0, await host.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Empty(host.StdoutLines); // nothing was sent, so nothing comes out: the problems went to stderr alone
    }

    [Fact(Timeout = Timeout)]
    public async Task Otlp_CollectorAcceptsButNeverAnswers_RelayAnswersAtOnceAndTheHostStillEndsInTime()
    {
        await using var collector = new StalledCollector();
        using var data = new TempDirectory("acphost-otel-stalled");
        await using HostUnderTest host = HostUnderTest.Start(["run", "--data-dir", data.Path, "--otlp", "--", "cat"], new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Endpoint,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "200",
        }, data.Path);

        // The exporter has reached the collector and hangs there while lines go through (cat echoes each). Its first
        // export comes when the SDK's timers say so, not after a number of lines: the wait for it is bounded by time
        // (a quiet machine relays hundreds of pings before then), and the pings are paced so that they go on
        // through the whole wait instead of racing ahead of it.
        var connecting = Stopwatch.StartNew();
        for (int i = 0; i < 20 || collector.Accepted == 0; i++)
        {
            Assert.True(connecting.Elapsed < ArrivalTimeout, $"the exporter never connected to the collector in {ArrivalTimeout.TotalSeconds:F0} s ({i} lines relayed meanwhile)");
            if (i >= 20)
            {
                await Task.Delay(50);
            }

            string ping = $$$"""{"jsonrpc":"2.0","method":"ping","params":{"n":{{{i}}}}}""";
            int from = host.MessageCount;
            await host.SendAsync(ping);
            var watch = Stopwatch.StartNew();
            await host.WaitForAsync(m => m.GetProperty("params").GetProperty("n").GetInt32() == i, TimeSpan.FromSeconds(10), from);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"line {i} took {watch.Elapsed.TotalMilliseconds:F0} ms with the collector hanging");
        }

        // Shutting down, the flush waits for the hanging collector at most Relay:ShutdownGrace (5 s by default).
        var shutdown = Stopwatch.StartNew();
        host.CloseStdin();
        Assert.Equal(0, await host.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.True(shutdown.Elapsed < TimeSpan.FromSeconds(10), $"the host took {shutdown.Elapsed.TotalSeconds:F1} s to end with the collector hanging");
        StdoutAssert.OnlyJsonRpc(host.StdoutLines);
    }

    [Fact(Timeout = Timeout)]
    public async Task TelemetryOff_NoOpenTelemetryAssemblyInTheProcess_OnWithOtlpThereIs()
    {
        using var data = new TempDirectory("acphost-otel-off");
        (List<string> mapped, List<string> threads) = await LoadedAssembliesAsync(data.Path, []);
        Assert.DoesNotContain(mapped, f => f.Contains("OpenTelemetry", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(threads, t => t.StartsWith("OpenTelemetry", StringComparison.Ordinal));

        // The same checks see it when telemetry is on: they would notice it if the off path loaded it. A native build
        // is one file, with no assembly of its own to map: there only the SDK's export threads tell.
        (mapped, threads) = await LoadedAssembliesAsync(data.Path, ["--otlp"]);
        Assert.Contains(threads, t => t.StartsWith("OpenTelemetry", StringComparison.Ordinal));
        if (HostCommand.Build != "native")
        {
            Assert.Contains(mapped, f => f.Contains("OpenTelemetry", StringComparison.OrdinalIgnoreCase));
        }
    }

    // The files the host process has mapped and the names of its threads once its relay runs (a line went through the
    // agent and back).
    private static async Task<(List<string> Mapped, List<string> Threads)> LoadedAssembliesAsync(string dataDir, string[] options)
    {
        var environment = new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "",
            ["OTEL_EXPORTER_OTLP_LOGS_ENDPOINT"] = "",
            ["OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"] = "",
        };
        if (options.Length > 0)
        {
            environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = ClosedCollector.Endpoint();
        }

        await using HostUnderTest host = HostUnderTest.Start(["run", "--data-dir", dataDir, .. options, "--", "cat"], environment, dataDir);
        await host.SendAsync("""{"jsonrpc":"2.0","method":"ping","params":{}}""");
        await host.WaitForAsync(m => m.TryGetProperty("method", out JsonElement method) && method.GetString() == "ping", TimeSpan.FromSeconds(60));
        if (options.Length > 0)
        {
            while (!host.Stderr.Contains("Telemetry on", StringComparison.Ordinal))
            {
                await Task.Delay(50);
            }
        }

        List<string> mapped = [.. (await File.ReadAllLinesAsync($"/proc/{host.ProcessId}/maps")).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).Last()).Distinct()];
        List<string> threads = [];
        foreach (string task in Directory.GetDirectories($"/proc/{host.ProcessId}/task"))
        {
            try
            {
                threads.Add((await File.ReadAllTextAsync(Path.Combine(task, "comm"))).Trim());
            }
            catch (IOException)
            {
                // The thread ended meanwhile.
            }
        }

        StdoutAssert.OnlyJsonRpc(host.StdoutLines);
        return (mapped, threads);
    }

    private static async Task<double> TimeTurnAsync(RealAgentSession session, string sessionId, int turn)
    {
        var watch = Stopwatch.StartNew();
        JsonElement answer = await session.PromptAsync(sessionId, $"Turn {turn}");
        watch.Stop();
        Assert.Equal("end_turn", RealAgentSession.Result(answer).GetProperty("stopReason").GetString());
        return watch.Elapsed.TotalMilliseconds;
    }

    private static double Median(List<double> values)
    {
        List<double> sorted = [.. values.Order()];
        return sorted[sorted.Count / 2];
    }
}
