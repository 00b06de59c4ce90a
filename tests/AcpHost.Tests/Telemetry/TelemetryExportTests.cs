using System.Security.Cryptography;
using System.Text;
using AcpHost.Events;
using AcpHost.Telemetry;
using AcpHost.Usage;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;

namespace AcpHost.Tests.Telemetry;

/// <summary>
/// Every event and metric the host exports, with its attributes, read back from the SDK's in-memory exporters. One
/// class, so the tests run one after another: they all listen to the one <c>acphost</c> meter name.
/// </summary>
public sealed class TelemetryExportTests
{
    private const int Timeout = 30_000;
    private static readonly DateTimeOffset At = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Theory(Timeout = Timeout)]
    [InlineData("auto")]
    [InlineData("manual")]
    [InlineData("idle")]
    public async Task Handle_CompactionOfEachTrigger_OneRecordAndItsCounts(string trigger)
    {
        await Task.Yield();
        using var rig = new TelemetryRig();
        rig.Service.Handle(Compaction("cmp-1", trigger, pre: 190_000, post: 12_000));

        LogRecord record = Assert.Single(rig.Records(TelemetryNames.CompactionEvent));
        Dictionary<string, object?> attributes = TelemetryRig.Attributes(record);
        Assert.Equal(TelemetryNames.CompactionEvent, attributes["event.name"]);
        Assert.Equal("s-1", attributes["session.id"]);
        Assert.Equal(trigger, attributes["trigger"]);
        Assert.Equal(190_000L, attributes["pre_tokens"]);
        Assert.Equal(12_000L, attributes["post_tokens"]);
        Assert.Equal(4_100L, attributes["duration_ms"]);
        Assert.Equal(200_000L, attributes["context_window"]);
        Assert.Equal("tool_call", attributes["source"]);
        Assert.Equal("cmp-1", attributes["id"]);
        Assert.Equal("2026-01-02T03:04:05.000Z", attributes["event.timestamp"]);
        Assert.Equal(At.UtcDateTime, record.Timestamp);

        MetricPoint count = Assert.Single(rig.Points(TelemetryNames.CompactionCount));
        Assert.Equal(trigger, TelemetryRig.Tags(count)["trigger"]);
        Assert.Equal(1, count.GetSumLong());
        MetricPoint flattened = Assert.Single(rig.Points(TelemetryNames.TokensFlattened));
        Assert.Equal(178_000, flattened.GetSumLong());
        Assert.Equal(trigger, TelemetryRig.Tags(flattened)["trigger"]);
        MetricPoint pre = Assert.Single(rig.Points(TelemetryNames.PreTokensHistogram));
        Assert.Equal(1, pre.GetHistogramCount());
        Assert.Equal(190_000, pre.GetHistogramSum());
        var bounds = new List<double>();
        foreach (HistogramBucket bucket in pre.GetHistogramBuckets())
        {
            bounds.Add(bucket.ExplicitBound);
        }

        Assert.Equal([.. TelemetryNames.PreTokenBuckets, double.PositiveInfinity], bounds);
    }

    [Fact(Timeout = Timeout)]
    public async Task Handle_CompactionThenItsLaterCounts_OneRecordWithBoth()
    {
        await Task.Yield();
        using var rig = new TelemetryRig();
        rig.Service.Handle(CompactionRecorded.Of(Compaction("cmp-2", "manual", pre: 50_000, post: null).Record with { DurationMs = null, BoundaryUuid = null }, isUpdate: false));
        rig.Service.Handle(CompactionRecorded.Of(Compaction("cmp-2", "manual", pre: 50_000, post: 3_000).Record with { BoundaryUuid = "b-2", At = At.AddSeconds(2) }, isUpdate: true));

        Dictionary<string, object?> attributes = TelemetryRig.Attributes(Assert.Single(rig.Records(TelemetryNames.CompactionEvent)));
        Assert.Equal(3_000L, attributes["post_tokens"]);
        Assert.Equal("b-2", attributes["boundary_uuid"]);
        Assert.Equal("2026-01-02T03:04:05.000Z", attributes["event.timestamp"]);
        Assert.Equal(1, Assert.Single(rig.Points(TelemetryNames.CompactionCount)).GetSumLong());
        Assert.Equal(47_000, Assert.Single(rig.Points(TelemetryNames.TokensFlattened)).GetSumLong());

        // A further update of the same compaction exports nothing more.
        rig.Service.Handle(Compaction("cmp-2", "manual", pre: 50_000, post: 3_000) with { IsUpdate = true });
        Assert.Single(rig.Records(TelemetryNames.CompactionEvent));
    }

    [Theory(Timeout = Timeout)]
    [InlineData("client")]
    [InlineData("command")]
    [InlineData("pre-compact")]
    [InlineData("control")]
    public async Task Handle_ForkOfEachReason_RecordWithParentAndFill(string reason)
    {
        await Task.Yield();
        using var rig = new TelemetryRig();
        rig.Service.Handle(new SessionForked { SessionId = "s-2", ParentSessionId = "s-1", Reason = reason, UsedTokens = 150_000, ContextWindow = 200_000, At = At });

        Dictionary<string, object?> attributes = TelemetryRig.Attributes(Assert.Single(rig.Records(TelemetryNames.ForkEvent)));
        Assert.Equal(TelemetryNames.ForkEvent, attributes["event.name"]);
        Assert.Equal("s-2", attributes["session.id"]);
        Assert.Equal("s-1", attributes["parent.session.id"]);
        Assert.Equal(reason, attributes["reason"]);
        Assert.Equal(150_000L, attributes["used_tokens"]);
        Assert.Equal(200_000L, attributes["context_window"]);
        Assert.Equal(0.75, attributes["context_fill"]);

        MetricPoint forks = Assert.Single(rig.Points(TelemetryNames.ForkCount));
        Assert.Equal(reason, TelemetryRig.Tags(forks)["reason"]);
        Assert.Equal(1, forks.GetSumLong());
    }

    [Fact(Timeout = Timeout)]
    public async Task Handle_AgentRestarted_RecordAndCounter()
    {
        await Task.Yield();
        using var rig = new TelemetryRig();
        rig.Service.Handle(new AgentRestarted { Attempt = 2, ExitCode = 137, SessionsResumed = 3, LostSessionIds = ["s-9"], At = At });

        Dictionary<string, object?> attributes = TelemetryRig.Attributes(Assert.Single(rig.Records(TelemetryNames.RestartEvent)));
        Assert.Equal(TelemetryNames.RestartEvent, attributes["event.name"]);
        Assert.Equal(2L, attributes["attempt"]);
        Assert.Equal(137L, attributes["exit_code"]);
        Assert.Equal(3L, attributes["sessions_resumed"]);
        Assert.Equal(1L, attributes["sessions_lost"]);
        Assert.Equal("s-9", attributes["lost.session.ids"]);
        Assert.Equal(1, Assert.Single(rig.Points(TelemetryNames.RestartCount)).GetSumLong());
    }

    [Theory(Timeout = Timeout)]
    [InlineData(1.5)]
    [InlineData(null)]
    public async Task Handle_CacheWentCold_RecordAndTokensByReason_UnknownCostLeftOut(double? extra)
    {
        await Task.Yield();
        using var rig = new TelemetryRig();
        var request = new ColdRequest(At, ColdReasons.Expired, At.AddSeconds(-400.25), 320_000, 318_000, extra, extra + 0.5, "claude-opus-5-5", Sidechain: false);
        rig.Service.Handle(new CacheWentCold { SessionId = "s-4", Request = request, At = At });

        Dictionary<string, object?> attributes = TelemetryRig.Attributes(Assert.Single(rig.Records(TelemetryNames.CacheColdEvent)));
        Assert.Equal(TelemetryNames.CacheColdEvent, attributes["event.name"]);
        Assert.Equal("s-4", attributes["session.id"]);
        Assert.Equal("expired", attributes["reason"]);
        Assert.Equal(400.25, attributes["gap_s"]);
        Assert.Equal(320_000L, attributes["context_tokens"]);
        Assert.Equal(318_000L, attributes["cache_write_tokens"]);
        Assert.Equal(extra is not null, attributes.ContainsKey("extra_cost_usd"));
        if (extra is not null)
        {
            Assert.Equal(extra, attributes["extra_cost_usd"]);
        }

        MetricPoint tokens = Assert.Single(rig.Points(TelemetryNames.CacheColdTokens));
        Assert.Equal("expired", TelemetryRig.Tags(tokens)["reason"]);
        Assert.Equal(318_000, tokens.GetSumLong());
    }

    [Theory(Timeout = Timeout)]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Handle_SessionOpened_CwdHashedUnlessIncluded(bool includeCwd)
    {
        await Task.Yield();
        using var rig = new TelemetryRig(includeCwd: includeCwd);
        rig.Service.Handle(new SessionOpened { SessionId = "s-3", Cwd = "/home/ann/secret-project", OpenedBy = "session/fork", ParentSessionId = "s-1", At = At });

        Dictionary<string, object?> attributes = TelemetryRig.Attributes(Assert.Single(rig.Records(TelemetryNames.OpenEvent)));
        Assert.Equal(TelemetryNames.OpenEvent, attributes["event.name"]);
        Assert.Equal("s-3", attributes["session.id"]);
        Assert.Equal("session/fork", attributes["opened_by"]);
        Assert.Equal("s-1", attributes["parent.session.id"]);
        if (includeCwd)
        {
            Assert.Equal("/home/ann/secret-project", attributes["cwd"]);
            Assert.False(attributes.ContainsKey("cwd.sha256"));
        }
        else
        {
            Assert.False(attributes.ContainsKey("cwd"));
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("/home/ann/secret-project"))), attributes["cwd.sha256"]);
            Assert.DoesNotContain(attributes.Values, v => v is string s && s.Contains("secret", StringComparison.Ordinal));
        }
    }

    [Fact(Timeout = Timeout)]
    public async Task ContextFillGauge_Default_OneSeriesTheFullestSession()
    {
        await Task.Yield();
        using var rig = new TelemetryRig();
        rig.Service.Handle(new ContextFillChanged { SessionId = "s-1", UsedTokens = 50_000, ContextWindow = 200_000, At = At });
        rig.Service.Handle(new ContextFillChanged { SessionId = "s-2", UsedTokens = 180_000, ContextWindow = 200_000, At = At });

        MetricPoint fill = Assert.Single(rig.Points(TelemetryNames.ContextFillGauge));
        Assert.Equal(0.9, fill.GetGaugeLastValueDouble(), 6);
        Assert.Empty(TelemetryRig.Tags(fill));
    }

    [Fact(Timeout = Timeout)]
    public async Task ContextFillGauge_PerSessionMetrics_OneSeriesPerSession()
    {
        await Task.Yield();
        using var rig = new TelemetryRig(perSession: true);
        rig.Service.Handle(new ContextFillChanged { SessionId = "s-1", UsedTokens = 50_000, ContextWindow = 200_000, At = At });
        rig.Service.Handle(new ContextFillChanged { SessionId = "s-2", UsedTokens = 180_000, ContextWindow = 200_000, At = At });

        Dictionary<object, double> bySession = rig.Points(TelemetryNames.ContextFillGauge)
            .ToDictionary(p => TelemetryRig.Tags(p)["session.id"]!, p => p.GetGaugeLastValueDouble());
        Assert.Equal(2, bySession.Count);
        Assert.Equal(0.25, bySession["s-1"], 6);
        Assert.Equal(0.9, bySession["s-2"], 6);
    }

    [Fact(Timeout = Timeout)]
    public async Task RelayCounters_LinesEachWay_CountedByDirection()
    {
        await Task.Yield();
        using var rig = new TelemetryRig();
        rig.Relay.CountClientLine(100);
        rig.Relay.CountClientLine(20);
        rig.Relay.CountAgentLine(7);

        Dictionary<object, long> messages = rig.Points(TelemetryNames.RelayMessages).ToDictionary(p => TelemetryRig.Tags(p)["direction"]!, p => p.GetSumLong());
        Dictionary<object, long> bytes = rig.Points(TelemetryNames.RelayBytes).ToDictionary(p => TelemetryRig.Tags(p)["direction"]!, p => p.GetSumLong());
        Assert.Equal(2, messages["client_to_agent"]);
        Assert.Equal(1, messages["agent_to_client"]);
        Assert.Equal(120, bytes["client_to_agent"]);
        Assert.Equal(7, bytes["agent_to_client"]);
    }

    [Theory(Timeout = Timeout)]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Handle_CompactionWithFlattened_CountsPerKindAndNamesOnlyWithIncludeCwd(bool includeCwd)
    {
        await Task.Yield();
        using var rig = new TelemetryRig(includeCwd);
        var flattened = new FlattenedSpecifics
        {
            Files = new() { Seen = 5, Dropped = 2, Items = [new() { Name = "/home/u/app/secret.cs", Uses = 3 }, new() { Name = "/home/u/app/b.cs", Uses = 1 }] },
            Commands = new() { Seen = 1, Dropped = 0, Items = [] },
            Urls = FlattenedKind.None,
            ToolErrors = new() { Seen = 1, Dropped = 1, Items = [new() { Name = "Read", Uses = 1 }] },
            Summary = FlattenedSpecifics.Marked,
            Transcript = "/home/u/.claude/projects/x/s-1.jsonl",
            FromLine = 1,
            ToLine = 90,
        };
        rig.Service.Handle(CompactionRecorded.Of(Compaction("cmp-f", "auto", pre: 190_000, post: 12_000).Record with { Flattened = flattened }, isUpdate: false));

        Dictionary<string, object?> attributes = TelemetryRig.Attributes(Assert.Single(rig.Records(TelemetryNames.CompactionEvent)));
        Assert.Equal(5L, attributes["flattened.files.seen"]);
        Assert.Equal(2L, attributes["flattened.files.dropped"]);
        Assert.Equal(1L, attributes["flattened.commands.seen"]);
        Assert.Equal(0L, attributes["flattened.commands.dropped"]);
        Assert.Equal(0L, attributes["flattened.urls.seen"]);
        Assert.Equal(1L, attributes["flattened.toolErrors.dropped"]);
        Assert.Equal(includeCwd, attributes.ContainsKey("flattened.files.names"));
        Assert.Equal(includeCwd, attributes.Values.Any(v => v is string[] names && names.Contains("/home/u/app/secret.cs")));
        Assert.DoesNotContain(attributes.Values, v => v is string text && text.Contains("/home/u", StringComparison.Ordinal));
    }

    private static CompactionRecorded Compaction(string id, string trigger, long pre, long? post) => CompactionRecorded.Of(new CompactionRecord
    {
        Id = id,
        SessionId = "s-1",
        Trigger = trigger,
        PreTokens = pre,
        PostTokens = post,
        DurationMs = 4_100,
        ContextWindow = 200_000,
        Source = "tool_call",
        At = At,
    }, isUpdate: false);
}
