namespace AcpHost.Storage.Transcripts;

/// <summary>
/// One more reader of a followed transcript's new lines (<see cref="TranscriptTail"/>): the file is read once, and each
/// complete line is handed to every reader in file order, on the thread that reads the file (never a relay pump).
/// </summary>
internal interface ITranscriptLineReader
{
    /// <summary>A complete line appended since the last read, without its LF. Must not throw; must be quick.</summary>
    void Take(ReadOnlySpan<byte> line);

    /// <summary>The read is over (whether or not it found lines): what the lines taught can be acted on now.</summary>
    void ReadDone();
}
