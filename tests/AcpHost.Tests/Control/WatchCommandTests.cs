using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using AcpHost.Cli;
using AcpHost.Events;
using AcpHost.Features.Compaction;
using AcpHost.Control;

namespace AcpHost.Tests.Control;

public sealed class WatchCommandTests : IDisposable
{
    private const int Timeout = 20_000;

    private static readonly DateTimeOffset At = new(2026, 3, 1, 10, 1, 2, TimeSpan.Zero);

    private readonly string _dataDir = Directory.CreateTempSubdirectory("ah-").FullName;
    private readonly CollectingWriter _output = new();
    private readonly CollectingWriter _error = new();
    private readonly CancellationTokenSource _stop = new();

    private string Run => Path.Combine(_dataDir, "run");

    public void Dispose()
    {
        _stop.Dispose();
        _output.Dispose();
        _error.Dispose();
        Directory.Delete(_dataDir, recursive: true);
    }

    private Task<int> StartAsync(params string[] arguments) =>
        AcpHostCommandLine.Create(ControlSamples.NoRuntimeDir)
            .Parse(["watch", "--data-dir", _dataDir, .. arguments])
            .InvokeAsync(new InvocationConfiguration { Output = _output, Error = _error }, _stop.Token);

    // The events' wall-clock time as the human view prints it.
    private static string Clock(DateTimeOffset at) => at.ToLocalTime().ToString("HH:mm:ss", CultureInfo.InvariantCulture);

    private static async Task PublishSampleEventsAsync(FakeControlServer host)
    {
        var compaction = new CompactionRecord
        {
            Id = "cmp-1",
            SessionId = "s-root",
            Trigger = "auto",
            PreTokens = 990_012,
            PostTokens = 2_560,
            DurationMs = 40,
            ContextWindow = 1_000_000,
            At = At,
            Source = CompactionSources.ToolCall,
            BoundaryUuid = "b-1",
        };
        await host.PublishAsync(ControlMethods.CompactionEvent, JsonSerializer.Serialize(compaction, ControlJsonContext.Default.CompactionRecord));
        var fork = new SessionForked { SessionId = "s-child", ParentSessionId = "s-root", Reason = "pre-compact", UsedTokens = 800_000, ContextWindow = 1_000_000, At = At.AddSeconds(1) };
        await host.PublishAsync(ControlMethods.ForkEventName, JsonSerializer.Serialize(fork, ControlJsonContext.Default.SessionForked));
        var usage = new ContextFillChanged { SessionId = "s-other", UsedTokens = 512_000, ContextWindow = 1_000_000, At = At.AddSeconds(2) };
        await host.PublishAsync(ControlMethods.UsageEventName, JsonSerializer.Serialize(usage, ControlJsonContext.Default.ContextFillChanged));
    }

    [Fact(Timeout = Timeout)]
    public async Task Invoke_HostSaysEventsWereDropped_WatchSaysSoInBothViews()
    {
        await using var host = FakeControlServer.Start(Run, ControlSamples.Host(4242, _dataDir));
        Task<int> watching = StartAsync("--session", "s-root");
        await host.WaitForSubscribersAsync();

        await host.PublishAsync(ControlMethods.DroppedEventName, """{"count":1234,"at":"2026-03-01T10:01:02Z"}""");
        string line = Assert.Single(await _output.WaitForLinesAsync(1));
        await _stop.CancelAsync();
        await watching;

        Assert.Equal($"{Clock(At)} dropped     1,234 event(s) were not sent: this watcher fell behind (compactions and forks are in the ledgers: acphost compactions, acphost sessions)", line);
        Assert.Equal("""{"event":"dropped","count":1234,"at":"2026-03-01T10:01:02Z"}""", EventLine.Format(ControlMethods.DroppedEventName, JsonDocument.Parse("""{"count":1234,"at":"2026-03-01T10:01:02Z"}""").RootElement, null, asJson: true));
    }

    [Fact(Timeout = Timeout)]
    public async Task Invoke_HostSendsEventsThenCancel_PrintsALinePerEventFlushedAndExitsZero()
    {
        await using var host = FakeControlServer.Start(Run, ControlSamples.Host(4242, _dataDir));
        Task<int> watching = StartAsync();
        await host.WaitForSubscribersAsync();

        await PublishSampleEventsAsync(host);
        await host.PublishAsync("event/future", """{"sessionId":"s-root"}""");
        await host.PublishAsync(ControlMethods.UsageEventName, """{"sessionId":"s-root","usedTokens":7,"at":"2026-03-01T10:01:05Z"}""");
        string[] lines = await _output.WaitForLinesAsync(4);
        await _stop.CancelAsync();

        Assert.Equal(0, await watching);
        string[] expected =
        [
            $"{Clock(At)} compaction  s-root  auto  preTokens 990,012 → 2,560 (40 ms)",
            $"{Clock(At.AddSeconds(1))} fork        s-child from s-root (pre-compact)",
            $"{Clock(At.AddSeconds(2))} usage       s-other  [##########----------] 51%  512,000/1,000,000",
            $"{Clock(At.AddSeconds(3))} usage       s-root  7/–",
        ];
        Assert.Equal(expected, lines);
        Assert.True(_output.Flushes >= 4, "Every line is flushed");
        Assert.Equal("", _error.ToString());
    }

    [Fact(Timeout = Timeout)]
    public async Task Invoke_Json_PrintsOneObjectPerLineWithTheEventAndExactlyItsFields()
    {
        await using var host = FakeControlServer.Start(Run, ControlSamples.Host(4242, _dataDir));
        Task<int> watching = StartAsync("--json");
        await host.WaitForSubscribersAsync();

        await PublishSampleEventsAsync(host);
        string[] lines = await _output.WaitForLinesAsync(3);
        await _stop.CancelAsync();

        Assert.Equal(0, await watching);
        Assert.Equal(
            """{"event":"compaction","sessionId":"s-root","trigger":"auto","preTokens":990012,"postTokens":2560,"durationMs":40,"contextWindow":1000000,"at":"2026-03-01T10:01:02Z","source":"tool_call","id":"cmp-1","flattened":null}""",
            lines[0]);
        Assert.Equal(
            """{"event":"fork","sessionId":"s-child","parentSessionId":"s-root","reason":"pre-compact","usedTokens":800000,"contextWindow":1000000,"at":"2026-03-01T10:01:03Z"}""",
            lines[1]);
        Assert.Equal(
            """{"event":"usage","sessionId":"s-other","usedTokens":512000,"contextWindow":1000000,"at":"2026-03-01T10:01:04Z"}""",
            lines[2]);
    }

    [Fact(Timeout = Timeout)]
    public async Task Invoke_IdleCompaction_ShownAsItsOwnKind()
    {
        await using var host = FakeControlServer.Start(Run, ControlSamples.Host(4242, _dataDir));
        Task<int> watching = StartAsync();
        await host.WaitForSubscribersAsync();

        var idle = new CompactionRecord { Id = "cmp-2", SessionId = "s-idle", Trigger = "idle", PreTokens = 210_000, PostTokens = 3_100, At = At, Source = CompactionSources.CompactionUpdate };
        await host.PublishAsync(ControlMethods.CompactionEvent, JsonSerializer.Serialize(idle, ControlJsonContext.Default.CompactionRecord));
        string[] lines = await _output.WaitForLinesAsync(1);
        await _stop.CancelAsync();

        Assert.Equal(0, await watching);
        Assert.Equal([$"{Clock(At)} compaction  s-idle  idle  preTokens 210,000 → 3,100"], lines);
    }

    [Fact(Timeout = Timeout)]
    public async Task Invoke_SessionFilter_PrintsOnlyThatSessionsEventsAndItsForks()
    {
        await using var host = FakeControlServer.Start(Run, ControlSamples.Host(4242, _dataDir));
        Task<int> watching = StartAsync("--session", "s-root", "--json");
        await host.WaitForSubscribersAsync();

        await PublishSampleEventsAsync(host);
        await host.PublishAsync(ControlMethods.UsageEventName, """{"sessionId":"s-root","usedTokens":1,"contextWindow":2,"at":"2026-03-01T10:01:05Z"}""");
        string[] lines = await _output.WaitForLinesAsync(3);
        await _stop.CancelAsync();

        Assert.Equal(0, await watching);
        Assert.Equal(["compaction", "fork", "usage"], lines.Select(line => JsonDocument.Parse(line).RootElement.GetProperty("event").GetString()));
        Assert.Equal("s-root", JsonDocument.Parse(lines[2]).RootElement.GetProperty("sessionId").GetString());
    }

    [Fact(Timeout = Timeout)]
    public async Task Invoke_HostStartsLater_IsWatchedAfterARescan()
    {
        FakeControlServer.LeaveStaleSocket(Run, 999_008);
        Task<int> watching = StartAsync();
        await Task.Delay(200);

        await using var host = FakeControlServer.Start(Run, ControlSamples.Host(4242, _dataDir));
        await host.WaitForSubscribersAsync();
        await host.PublishAsync(ControlMethods.ForkEventName, """{"sessionId":"s-b","parentSessionId":"s-a","reason":"control","at":"2026-03-01T10:01:02Z"}""");
        string[] lines = await _output.WaitForLinesAsync(1);
        await _stop.CancelAsync();

        Assert.Equal(0, await watching);
        Assert.Equal([$"{Clock(At)} fork        s-b from s-a (control)"], lines);
    }

    [Fact(Timeout = Timeout)]
    public async Task Invoke_TwoHosts_PrintsTheEventsOfBoth()
    {
        await using var first = FakeControlServer.Start(Run, ControlSamples.Host(4242, _dataDir));
        await using var second = FakeControlServer.Start(Run, ControlSamples.Host(4243, _dataDir));
        Task<int> watching = StartAsync("--json");
        await first.WaitForSubscribersAsync();
        await second.WaitForSubscribersAsync();

        await first.PublishAsync(ControlMethods.UsageEventName, """{"sessionId":"s-1","usedTokens":1,"contextWindow":2,"at":"2026-03-01T10:01:02Z"}""");
        await second.PublishAsync(ControlMethods.UsageEventName, """{"sessionId":"s-2","usedTokens":1,"contextWindow":2,"at":"2026-03-01T10:01:02Z"}""");
        string[] lines = await _output.WaitForLinesAsync(2);
        await _stop.CancelAsync();

        Assert.Equal(0, await watching);
        Assert.Equal(["s-1", "s-2"], lines.Select(line => JsonDocument.Parse(line).RootElement.GetProperty("sessionId").GetString()).Order(StringComparer.Ordinal));
    }

    [Fact(Timeout = Timeout)]
    public async Task Invoke_MalformedEvent_WarnsOnStderrAndKeepsWatching()
    {
        await using var host = FakeControlServer.Start(Run, ControlSamples.Host(4242, _dataDir));
        Task<int> watching = StartAsync();
        await host.WaitForSubscribersAsync();

        await host.PublishAsync(ControlMethods.ForkEventName, """{"sessionId":"s-b"}""");
        await host.PublishAsync(ControlMethods.ForkEventName, """{"sessionId":"s-b","parentSessionId":"s-a","reason":"control","at":"2026-03-01T10:01:02Z"}""");
        await _output.WaitForLinesAsync(1);
        await _stop.CancelAsync();

        Assert.Equal(0, await watching);
        Assert.StartsWith("acphost: warning: skipped a malformed event/fork from " + host.SocketPath, _error.ToString(), StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task Invoke_NoHostThenCancel_ExitsZeroAndPrintsNothing()
    {
        Task<int> watching = StartAsync();
        await Task.Delay(100);

        await _stop.CancelAsync();

        Assert.Equal(0, await watching);
        Assert.Equal("", _output.ToString());
        Assert.Equal("", _error.ToString());
    }
}
