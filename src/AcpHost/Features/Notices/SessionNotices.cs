using AcpHost.Acp;

namespace AcpHost.Features.Notices;

/// <summary>One session's notices: waiting for its next turn, expected in its turn, to build at its turn's end.</summary>
/// <remarks>Mutable; only ever touched under the <see cref="NoticeDesk"/>'s lock.</remarks>
internal sealed class SessionNotices
{
    /// <summary>Notices for the session's next turn, oldest first.</summary>
    public Queue<HostNotice> Deferred { get; } = new();

    /// <summary>Notices expected in the running turn, by key, each with when it stops counting.</summary>
    public Dictionary<string, DateTimeOffset> Expected { get; } = new(StringComparer.Ordinal);

    /// <summary>Notices to build when the running turn ends.</summary>
    public List<Func<CancellationToken, Task<HostNotice?>>> AtTurnEnd { get; } = [];

    /// <summary>True while the end of a turn is held for its notices: they still count as inside it.</summary>
    public bool Ending { get; set; }

    /// <summary>ACP v1 prompts of the session in flight (the agent queues prompts).</summary>
    public int Prompts { get; set; }

    /// <summary>An ACP v2 agent reports the session's foreground work running.</summary>
    public bool Running { get; set; }

    /// <summary>The agent generation the turns above were counted in.</summary>
    public int Generation { get; set; }
}
