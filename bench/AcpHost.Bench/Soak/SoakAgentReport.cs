namespace AcpHost.Bench.Soak;

/// <summary>What the soak agent saw and did, sent back at the end for the driver to compare with its own counts.</summary>
internal sealed record SoakAgentReport
{
    public long Echoes { get; init; }

    public long Tells { get; init; }

    public long CancelsMatched { get; init; }

    public long OutOfOrder { get; init; }

    public long BadPayloads { get; init; }

    public long NotesSent { get; init; }

    public long AsksSent { get; init; }

    public long AsksAnswered { get; init; }

    public long BadAnswers { get; init; }

    public long Turns { get; init; }

    public long ChunksSent { get; init; }
}
