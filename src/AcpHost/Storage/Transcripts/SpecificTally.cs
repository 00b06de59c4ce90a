namespace AcpHost.Storage.Transcripts;

/// <summary>
/// The distinct specifics of one kind in a segment, each with its uses, the line of its latest use and (for a failed
/// tool) what its failed calls worked on. Bounded: past <see cref="MaxDistinct"/> distinct ones, new ones are not kept
/// (<see cref="Capped"/>), whatever the segment's size.
/// </summary>
internal sealed class SpecificTally
{
    /// <summary>The most distinct specifics kept per kind and segment.</summary>
    public const int MaxDistinct = 2000;

    /// <summary>The most failed calls whose target is kept per failed tool.</summary>
    public const int MaxTargets = 8;

    private readonly Dictionary<string, Use> _byValue = new(StringComparer.Ordinal);
    private readonly List<Use> _all = [];

    /// <summary>True once a distinct specific was left out for the cap.</summary>
    public bool Capped { get; private set; }

    /// <summary>Each specific kept, in the order first seen.</summary>
    public IReadOnlyList<Use> All => _all;

    /// <summary>One more use of <paramref name="value"/> on the line <paramref name="uuid"/>; <paramref name="target"/> for a failed call.</summary>
    public void Add(string value, string? uuid, Specific? target = null)
    {
        if (!_byValue.TryGetValue(value, out Use? use))
        {
            if (_all.Count >= MaxDistinct)
            {
                Capped = true;
                return;
            }

            use = new Use(value, _all.Count);
            _byValue[value] = use;
            _all.Add(use);
        }

        use.Count++;
        use.LastUuid = uuid ?? use.LastUuid;
        if (target is not null && (use.Targets ??= []).Count < MaxTargets && !use.Targets.Contains(target))
        {
            use.Targets.Add(target);
        }
    }

    /// <summary>One specific's uses.</summary>
    internal sealed class Use(string value, int order)
    {
        public string Value { get; } = value;

        public int Order { get; } = order;

        public int Count { get; set; }

        /// <summary>The uuid of the line of its latest use: what tells whether the agent kept that message verbatim.</summary>
        public string? LastUuid { get; set; }

        /// <summary>For a failed tool: what its failed calls worked on.</summary>
        public List<Specific>? Targets { get; set; }
    }
}
