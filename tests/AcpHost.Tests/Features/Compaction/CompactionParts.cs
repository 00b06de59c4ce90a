using AcpHost.Events;
using AcpHost.Features.Compaction;
using AcpHost.Features.Notices;
using AcpHost.State;
using AcpHost.Storage.Ledgers;
using AcpHost.Storage.Transcripts;
using AcpHost.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AcpHost.Tests.Features.Compaction;

/// <summary>
/// The compaction feature's parts wired as <c>CompactionRegistration</c> wires them, for a test. What a test does not
/// pass is made fresh: the system clock, its own turns, notices switched off, no other transcript followers. The
/// client's channel is attached to a relay by the test (<see cref="Client"/>).
/// </summary>
internal sealed class CompactionParts : IAsyncDisposable
{
    private readonly List<Func<IEnumerable<(LogLevel Level, string Message)>>> _logs = [];

    public CompactionParts(
        SessionRegistry sessions, CompactionLedger ledger, CompactionOptions options, TimeProvider? time = null, SessionTurns? turns = null, INotices? notices = null,
        ClientChannel? client = null, IEnumerable<ITranscriptFollower>? followers = null)
    {
        time ??= TimeProvider.System;
        turns ??= new SessionTurns();
        Client = client ?? new ClientChannel();
        IOptions<CompactionOptions> settings = Options.Create(options);
        string dataDir = Path.GetDirectoryName(ledger.FilePath)!;
        var history = new SessionHistory(sessions, new SessionLedger(dataDir), ledger);
        notices ??= new NoticeDesk(NoticesOff(), new ClientProfile(), turns, Client, Logger<NoticeDesk>());

        var tracker = new CompactionTracker(time, options.TranscriptWait, turns);
        var queue = new CompactionQueue(Logger<CompactionQueue>());
        var flattened = new FlattenedWatch(tracker, queue, settings, time, Logger<FlattenedWatch>());
        var teller = new CompactionTeller(notices, history, sessions, flattened, Client, tracker, Logger<CompactionTeller>());
        var writer = new CompactionWriter(queue, ledger, sessions, new HostEventBus(), teller, settings, Logger<CompactionWriter>());
        var poll = new TranscriptPoll(sessions, turns, tracker, queue, flattened, followers ?? [], settings, time, Logger<TranscriptPoll>());
        Signals = new CompactionSignals(sessions, turns, tracker, queue, poll, flattened, teller, Logger<CompactionSignals>());
        Service = new CompactionService(tracker, queue, writer, teller, poll, flattened, new ShutdownDeadline(time), Logger<CompactionService>());
    }

    /// <summary>The interceptor, for the relay's list.</summary>
    public CompactionSignals Signals { get; }

    /// <summary>The hosted service that runs the loops.</summary>
    public CompactionService Service { get; }

    /// <summary>Where the client's notifications go once a relay is attached.</summary>
    public ClientChannel Client { get; }

    /// <summary>What every part logged.</summary>
    public IEnumerable<(LogLevel Level, string Message)> LogEntries => _logs.SelectMany(entries => entries());

    /// <summary>Starts the loops, as the host does.</summary>
    public Task StartAsync() => Service.StartAsync(CancellationToken.None);

    /// <summary>Stops the loops with the final flush, as the host does.</summary>
    public ValueTask DisposeAsync() => Service.DisposeAsync();

    private static NoticeSwitches NoticesOff() =>
        NoticeSwitches.From(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Notices:Enabled"] = "false" }).Build());

    private ListLogger<T> Logger<T>()
    {
        var log = new ListLogger<T>();
        _logs.Add(() => log.Entries);
        return log;
    }
}
