namespace AcpHost.Storage.Transcripts;

/// <summary>Every kind's <see cref="SpecificTally"/> for one segment of a transcript (the turns between two compactions).</summary>
internal sealed class SegmentTallies
{
    private readonly SpecificTally[] _tallies = [new(), new(), new(), new()];

    public SpecificTally this[SpecificKind kind] => _tallies[(int)kind];
}
