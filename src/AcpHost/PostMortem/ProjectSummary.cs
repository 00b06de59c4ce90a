namespace AcpHost.PostMortem;

/// <summary>What one project's transcripts say about its compactions.</summary>
/// <param name="Project">The project (working directory, else folder name).</param>
/// <param name="Sessions">Sessions with a transcript (with <c>--since</c>: with activity in range).</param>
/// <param name="Compactions">Compactions found.</param>
/// <param name="Auto">Of which triggered automatically.</param>
/// <param name="Manual">Of which asked for (<c>/compact</c>); transcripts say manual for idle ones too.</param>
/// <param name="Idle">Of which the agent's own idle compactions: known only from a host's ledger (<c>--data-dir</c>).</param>
/// <param name="MedianPreTokens">Median tokens flattened per compaction (the mean of the middle two for an even count); null without counts.</param>
/// <param name="MaxPreTokens">Most tokens flattened at once; null without counts.</param>
/// <param name="TotalFlattened">Sum of every compaction's <c>preTokens</c>.</param>
internal sealed record ProjectSummary(
    string Project,
    int Sessions,
    int Compactions,
    int Auto,
    int Manual,
    int Idle,
    long? MedianPreTokens,
    long? MaxPreTokens,
    long TotalFlattened);
