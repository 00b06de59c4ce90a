namespace AcpHost.Features.Compaction;

/// <summary>Where in a compaction's life a wire signal sits.</summary>
internal enum SignalPhase : byte
{
    /// <summary>It has begun (<c>in_progress</c>).</summary>
    Started,

    /// <summary>It carries facts, or is otherwise part of the compaction, without ending it.</summary>
    Update,

    /// <summary>It has ended (<c>completed</c>): if no facts came, the transcript must supply them.</summary>
    Completed,

    /// <summary>
    /// It has ended in failure (<c>failed</c>: too little to compact, the summary request failed): nothing was flattened,
    /// unless the transcript already showed its boundary.
    /// </summary>
    Failed,
}
