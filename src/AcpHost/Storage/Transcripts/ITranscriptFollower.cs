namespace AcpHost.Storage.Transcripts;

/// <summary>
/// Something that wants each relayed session's new transcript lines. The host follows every session's transcript once
/// (the transcript poll reads it, at the moments it already reads: after a turn ends, while a compaction waits for
/// its counts, at shutdown) and hands each new line to every follower's reader, off the relay's threads.
/// </summary>
internal interface ITranscriptFollower
{
    /// <summary>The reader of a session's new lines, or null to follow it not at all.</summary>
    /// <param name="sessionId">The session.</param>
    /// <param name="openedAt">When the host first saw it: earlier lines of its transcript are its history.</param>
    ITranscriptLineReader? ReaderFor(string sessionId, DateTimeOffset openedAt);
}
