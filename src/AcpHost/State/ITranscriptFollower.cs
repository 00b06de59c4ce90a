using AcpHost.Storage.Transcripts;

namespace AcpHost.State;

/// <summary>
/// Something that wants each relayed session's new transcript lines. The host follows every session's transcript once
/// (the compaction recorder reads it, at the moments it already reads: after a turn ends, while a compaction waits for
/// its counts, at shutdown) and hands each new line to every follower's reader, off the relay's threads.
/// </summary>
public interface ITranscriptFollower
{
    /// <summary>The reader of <paramref name="session"/>'s new lines, or null to follow it not at all.</summary>
    ITranscriptLineReader? ReaderFor(SessionInfo session);
}
