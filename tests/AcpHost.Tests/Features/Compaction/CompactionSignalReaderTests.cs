using System.Text;
using System.Text.Json;
using AcpHost.Acp;
using AcpHost.Events;
using AcpHost.Features.Compaction;
using AcpHost.Storage.Transcripts;
using AcpHost.Tests.Support;

namespace AcpHost.Tests.Features.Compaction;

public class CompactionSignalReaderTests
{
    private const int Timeout = 10_000;

    private static List<CompactionSignal> SignalsIn(string sample) =>
        [.. AgentSamples.FromAgent(sample)
            .Select(line => JsonSerializer.Deserialize(Encoding.UTF8.GetBytes(line), AcpJsonContext.Default.SessionUpdateNotification)?.Params)
            .Where(p => p?.Update is not null && p.SessionId is not null)
            .Select(p => CompactionSignalReader.Read(p!.SessionId!, p.Update!))
            .OfType<CompactionSignal>()];

    [Theory(Timeout = Timeout)]
    [InlineData("compact-manual.ndjson", "manual")]
    [InlineData("compact-auto.ndjson", "auto")]
    public async Task Read_CapturedToolCallCompaction_StartsCompletesAndCarriesTheFacts(string sample, string trigger)
    {
        List<CompactionSignal> signals = SignalsIn(sample);

        Assert.Equal(3, signals.Count);
        Assert.All(signals, s => Assert.Equal(CompactionSources.ToolCall, s.Source));
        Assert.Single(signals.Select(s => s.Key).Distinct());
        Assert.Equal(SignalPhase.Started, signals[0].Phase);
        Assert.Equal(SignalPhase.Completed, signals[1].Phase);
        CompactionFacts facts = signals[2].Facts;
        Assert.Equal(trigger, facts.Trigger);
        Assert.True(facts.PreTokens > 0);
        Assert.True(facts.PostTokens > 0);
        Assert.NotNull(facts.DurationMs);
        await Task.CompletedTask;
    }

    [Theory(Timeout = Timeout)]
    [InlineData("compact-manual-compaction-capable-client.ndjson")]
    [InlineData("compact-auto-compaction-capable-client.ndjson")]
    public async Task Read_CapturedCompactionUpdates_HaveNoCounts(string sample)
    {
        List<CompactionSignal> signals = SignalsIn(sample);

        Assert.Equal(3, signals.Count);
        Assert.All(signals, s => Assert.Equal(CompactionSources.CompactionUpdate, s.Source));
        Assert.All(signals, s => Assert.Null(s.Facts.PreTokens));
        Assert.Equal([SignalPhase.Started, SignalPhase.Completed, SignalPhase.Completed], signals.Select(s => s.Phase));
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Read_OrdinaryTraffic_HasNoSignals()
    {
        Assert.Empty(SignalsIn("prompt-basic.ndjson"));
        Assert.Empty(SignalsIn("fork.ndjson"));
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Read_JetBrainsMetaOnCompactionUpdate_GivesTheFacts()
    {
        var update = Update("""{"sessionUpdate":"compaction_update","compactionId":"c1","status":"completed","_meta":{"jetbrains":{"air":{"contextCompaction":{"trigger":"automatic","preTokens":812000,"postTokens":3000,"durationMs":900}}}}}""");

        CompactionSignal signal = CompactionSignalReader.Read("s", update)!;

        Assert.Equal(CompactionSources.JetBrainsMeta, signal.Source);
        Assert.Equal(new CompactionFacts("auto", 812000, 3000, 900), signal.Facts);
        Assert.Equal(SignalPhase.Completed, signal.Phase);
        await Task.CompletedTask;
    }

    [Theory(Timeout = Timeout)]
    [InlineData("""{"sessionUpdate":"tool_call_update","toolCallId":"t1","status":"failed","content":[{"type":"content","content":{"type":"text","text":"Compaction failed: Not enough messages to compact."}}],"rawOutput":{"error":"Not enough messages to compact."},"_meta":{"claudeCode":{"toolName":"compact"}}}""")]
    [InlineData("""{"sessionUpdate":"compaction_update","compactionId":"t1","status":"failed","error":"Not enough messages to compact."}""")]
    public async Task Read_FailedCompaction_IsAFailureNotAnEnding(string json)
    {
        CompactionSignal signal = CompactionSignalReader.Read("s", Update(json))!;

        Assert.Equal((SignalPhase.Failed, "t1"), (signal.Phase, signal.Key));
        Assert.Equal(CompactionFacts.None, signal.Facts);
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Read_NonStandardCompactBoundaryUpdate_GivesTriggerAndPreTokens()
    {
        CompactionSignal signal = CompactionSignalReader.Read("s", Update("""{"sessionUpdate":"compact_boundary","trigger":"auto","preTokens":500123}"""))!;

        Assert.Equal(CompactionSources.CompactBoundaryUpdate, signal.Source);
        Assert.Equal(new CompactionFacts("auto", 500123, null, null), signal.Facts);
        Assert.Null(signal.Key);
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Read_OtherToolWithStringOutput_IsNotASignal()
    {
        Assert.Null(CompactionSignalReader.Read("s", Update("""{"sessionUpdate":"tool_call_update","toolCallId":"t","rawOutput":"compact output","_meta":{"claudeCode":{"toolName":"Bash"}}}""")));
        await Task.CompletedTask;
    }

    private static SessionUpdate Update(string json) =>
        JsonSerializer.Deserialize(Encoding.UTF8.GetBytes($$$"""{"jsonrpc":"2.0","method":"session/update","params":{"sessionId":"s","update":{{{json}}}}}"""), AcpJsonContext.Default.SessionUpdateNotification)!.Params!.Update!;
}
