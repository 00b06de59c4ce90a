using System.Text;
using AcpHost.Events;
using AcpHost.Storage.Transcripts;
using AcpHost.Usage;
using static AcpHost.Tests.Usage.UsageLines;

namespace AcpHost.Tests.Usage;

/// <summary>
/// The live usage model, fed as the host feeds it: through the transcript tail the transcript poll reads, one read
/// of the file for every reader; cold requests published once each read is over, the cache's state after each.
/// </summary>
public sealed class LiveUsageTests : IDisposable
{
    private const int Timeout = 10_000;
    private const string Session = "s-live";

    private readonly string _folder = Directory.CreateTempSubdirectory("acphost-live-usage-").FullName;
    private readonly HostEventBus _bus = new();
    private readonly HostEventBus.Subscription _events;
    private readonly LiveUsage _usage;
    private readonly TranscriptTail _tail;
    private readonly List<(string SessionId, CacheState Cache)> _changes = [];

    public LiveUsageTests()
    {
        _events = _bus.Subscribe();
        _usage = new LiveUsage(UsageSettings.Default, _bus);
        _usage.CacheChanged += (sessionId, cache) => _changes.Add((sessionId, cache));
        _tail = new TranscriptTail(() => FilePath, [_usage.ReaderFor(Session, T0)!]);
        _tail.Start();
    }

    private string FilePath => Path.Combine(_folder, Session + ".jsonl");

    public void Dispose()
    {
        _events.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private void Append(params string[] lines) => File.AppendAllText(FilePath, string.Concat(lines.Select(l => l + "\n")), new UTF8Encoding(false));

    private List<CacheWentCold> Published()
    {
        var cold = new List<CacheWentCold>();
        while (_events.Reader.TryRead(out HostEvent? e))
        {
            if (e is CacheWentCold c)
            {
                cold.Add(c);
            }
        }

        return cold;
    }

    [Fact(Timeout = Timeout)]
    public async Task Read_PauseLongerThanTheCache_PublishesTheColdRequestOnceWithItsExtraCost()
    {
        Append(Request(Session, T0.AddSeconds(10), "m1", write5m: 300_000));
        _tail.ReadNew();
        Assert.Empty(Published());

        // The same response's second line, then a request seven minutes later that writes it all again.
        Append(Request(Session, T0.AddSeconds(10), "m1", write5m: 300_000, output: 400), Request(Session, T0.AddMinutes(7), "m2", write5m: 300_100));
        _tail.ReadNew();
        _tail.ReadNew();

        CacheWentCold cold = Assert.Single(Published());
        Assert.Equal(Session, cold.SessionId);
        Assert.Equal((ColdReasons.Expired, 300_110L, 300_100L), (cold.Request.Reason, cold.Request.Context, cold.Request.CacheWrite));
        Assert.Equal(TimeSpan.FromMinutes(7) - TimeSpan.FromSeconds(10), cold.Request.Gap);
        Assert.Equal(Usd(300_100, 5 - 0.20), cold.Request.ExtraCostUsd!.Value, 9);
        Assert.Equal(T0.AddMinutes(7), cold.At);

        UsageSnapshot snapshot = _usage.Of(Session)!;
        Assert.Equal(1, snapshot.ColdRequests);
        Assert.Same(cold.Request, snapshot.LastCold);
        Assert.Equal((T0.AddMinutes(7), TimeSpan.FromMinutes(5), 300_110L), (snapshot.Cache!.LastRequestAt, snapshot.Cache.Ttl, snapshot.Cache.Context));
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Read_NewRequest_TellsTheCacheOnceAfterTheRead()
    {
        Append(Request(Session, T0.AddSeconds(1), "m1", write1h: 250_000), Request(Session, T0.AddSeconds(20), "m2", read: 250_000, write1h: 500));
        _tail.ReadNew();
        _tail.ReadNew();

        (string sessionId, CacheState cache) = Assert.Single(_changes);
        Assert.Equal(Session, sessionId);
        Assert.Equal((T0.AddSeconds(20), TimeSpan.FromHours(1), true), (cache.LastRequestAt, cache.Ttl, cache.OneHour));
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Read_ManyColdRequests_KeepsTheNewestAndCountsThemAll()
    {
        int requests = LiveUsage.KeptCold + 5;
        Append([.. Enumerable.Range(0, requests + 1).Select(i => Request(Session, T0.AddMinutes(10 * i), "m" + i, write5m: 20_000))]);
        _tail.ReadNew();

        Assert.Equal(requests, Published().Count);
        UsageSnapshot snapshot = _usage.Of(Session)!;
        Assert.Equal(requests, snapshot.ColdRequests);
        Assert.Equal(T0.AddMinutes(10 * requests), snapshot.LastCold!.At);
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Read_TwoReaders_EachGetsEveryLineOnceFromOneRead()
    {
        var other = new LineCounter();
        string path = Path.Combine(_folder, "s-two.jsonl");
        var tail = new TranscriptTail(() => path, [_usage.ReaderFor("s-two", T0)!, other]);
        tail.Start();
        File.AppendAllText(path, Request("s-two", T0.AddSeconds(1), "a1") + "\n" + Request("s-two", T0.AddSeconds(2), "a2"));

        tail.ReadNew();
        Assert.Equal((1, 1), (other.Lines, other.Reads));
        File.AppendAllText(path, "\n" + Boundary("s-two", T0.AddSeconds(3)) + "\n");
        Assert.Single(tail.ReadNew());

        Assert.Equal((3, 2), (other.Lines, other.Reads));
        Assert.Equal(T0.AddSeconds(2), _usage.Of("s-two")!.Cache!.LastRequestAt);
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Of_SessionNotFollowed_IsNull()
    {
        Assert.Null(_usage.Of("nobody"));
        await Task.CompletedTask;
    }

    private sealed class LineCounter : ITranscriptLineReader
    {
        public int Lines { get; private set; }

        public int Reads { get; private set; }

        public void Take(ReadOnlySpan<byte> line) => Lines++;

        public void ReadDone() => Reads++;
    }
}
