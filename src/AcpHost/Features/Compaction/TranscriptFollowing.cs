using AcpHost.State;
using AcpHost.Storage.Transcripts;

namespace AcpHost.Features.Compaction;

/// <summary>
/// Every relayed session's transcript, followed from when the host first sees the session (<see
/// cref="SessionRegistry.SessionOpened"/>): one <see cref="TranscriptTail"/> per session, whose reads return the
/// compaction boundaries to <see cref="TranscriptPoll"/> and hand every new line to each <see cref="ITranscriptFollower"/>'s reader
/// (the live usage, ...), so the file is read once for all of them. When to read stays the poll's choice: after a
/// turn ends, while a compaction waits for its counts, at shutdown; never on a timer of its own. Thread-safe.
/// </summary>
internal sealed class TranscriptFollowing : IDisposable
{
    private readonly ConcurrentDictionary<string, TranscriptTail> _tails = new(StringComparer.Ordinal);
    private readonly SessionRegistry _sessions;
    private readonly string _claudeConfigDir;
    private readonly ITranscriptFollower[] _followers;
    private readonly Action<string, Func<string?>> _started;

    /// <summary>Starts following each session <paramref name="sessions"/> opens from now on.</summary>
    /// <param name="sessions">The relayed sessions.</param>
    /// <param name="claudeConfigDir">Where Claude Code keeps its transcripts.</param>
    /// <param name="followers">Who else reads each session's new lines.</param>
    /// <param name="started">Told each session newly followed, with how to find its transcript (for a reader of its own
    /// that reads from the file's start, as the flattened watch does).</param>
    public TranscriptFollowing(SessionRegistry sessions, string claudeConfigDir, IEnumerable<ITranscriptFollower> followers, Action<string, Func<string?>> started)
    {
        _started = started;
        _sessions = sessions;
        _claudeConfigDir = claudeConfigDir;
        _followers = [.. followers];
        _sessions.SessionOpened += Start;
    }

    /// <summary>The sessions followed.</summary>
    public ICollection<string> SessionIds => _tails.Keys;

    /// <summary>The session's tail; null for a session not followed.</summary>
    public TranscriptTail? Of(string sessionId) => _tails.GetValueOrDefault(sessionId);

    /// <summary>Follows no new session (the ones followed can still be read).</summary>
    public void Dispose() => _sessions.SessionOpened -= Start;

    private void Start(SessionInfo session)
    {
        // A session opened again (a restart's restore, a second load) keeps its tail and its readers' state.
        if (_tails.ContainsKey(session.SessionId))
        {
            return;
        }

        ITranscriptLineReader[] readers = [.. _followers.Select(follower => follower.ReaderFor(session.SessionId, session.OpenedAt)).OfType<ITranscriptLineReader>()];
        string? Locate() => TranscriptPaths.Find(_claudeConfigDir, session.Cwd, session.SessionId);
        var tail = new TranscriptTail(Locate, readers);
        if (_tails.TryAdd(session.SessionId, tail))
        {
            tail.Start();
            _started(session.SessionId, Locate);
        }
    }
}
