using AcpHost.Features.Compaction;
using AcpHost.State;
using AcpHost.Storage.Ledgers;
using AcpHost.Storage.Transcripts;
using AcpHost.Tests.Support;

namespace AcpHost.Tests.Features.Compaction;

/// <summary>The transcript following as its other consumers see it: one read, every follower's reader fed.</summary>
public sealed class TranscriptFollowingTests : IDisposable
{
    private const int Timeout = 20_000;
    private const string Session = "s-follow";
    private const string Cwd = "/work/app";

    private readonly string _folder = Directory.CreateTempSubdirectory("acphost-following-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact(Timeout = Timeout)]
    public async Task V2TurnEnd_AgentReportsTheSessionIdle_EveryFollowerGetsTheTurnsLinesOnce()
    {
        var registry = new SessionRegistry();
        var turns = new SessionTurns();
        CountingFollower first = new(), second = new();
        string claude = Path.Combine(_folder, "claude");
        var options = new CompactionOptions { ClaudeConfigDir = claude, PollInterval = TimeSpan.FromMilliseconds(50) };
        var compaction = new CompactionParts(registry, new CompactionLedger(Path.Combine(_folder, "data")), options, turns: turns, followers: [first, second]);
        await compaction.StartAsync();
        await using (compaction)
        {
            string project = Directory.CreateDirectory(Path.Combine(claude, "projects", TranscriptPaths.EncodeCwd(Cwd))).FullName;
            registry.Open(new SessionInfo(Session, Cwd, DateTimeOffset.UtcNow, "session/new", null));
            turns.ForegroundChanged(Session, running: true);
            await File.AppendAllTextAsync(Path.Combine(project, Session + ".jsonl"), "{\"type\":\"user\"}\n{\"type\":\"assistant\"}\n");

            // An ACP v2 turn answers no prompt: its end is the agent reporting the session idle.
            turns.ForegroundChanged(Session, running: false);

            await Conditions.UntilAsync(() => first.Lines == 2 && second.Lines == 2, TimeSpan.FromSeconds(10), "both followers fed the turn's two lines");
        }

        // The final read at shutdown found nothing new: no line was handed twice.
        Assert.Equal((2, 2), (first.Lines, second.Lines));
    }

    private sealed class CountingFollower : ITranscriptFollower, ITranscriptLineReader
    {
        private int _lines;

        public int Lines => Volatile.Read(ref _lines);

        public ITranscriptLineReader? ReaderFor(string sessionId, DateTimeOffset openedAt) => this;

        public void Take(ReadOnlySpan<byte> line) => Interlocked.Increment(ref _lines);

        public void ReadDone()
        {
        }
    }
}
