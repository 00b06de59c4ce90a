namespace AcpHost.Acp;

/// <summary>
/// One kind of notice the host shows the user, as a row of <see cref="All"/>: its name on the wire
/// (<c>_meta.acphost.notice</c>), the setting that switches it (<c>Notices:&lt;Switch&gt;</c>, under the master switch
/// <c>Notices:Enabled</c>), whether it is on by default, and how severe it reads. A new kind is a new row here.
/// </summary>
/// <param name="Name">The kind on the wire.</param>
/// <param name="Switch">The name of its setting under <c>Notices</c>.</param>
/// <param name="OnByDefault">Whether it is shown unless switched off.</param>
/// <param name="Severity">ACP's notice severity: <c>info</c>, <c>warning</c> or <c>error</c>.</param>
internal sealed record NoticeKind(string Name, string Switch, bool OnByDefault, string Severity)
{
    /// <summary>A compaction was recorded (every trigger): tokens before and after, and the fork that kept what it flattened.</summary>
    public static readonly NoticeKind Compaction = new("compaction", "Compaction", OnByDefault: true, "info");

    /// <summary>The host forked a session that crossed the fork mark, before the agent could compact it.</summary>
    public static readonly NoticeKind PreCompactFork = new("pre-compact-fork", "PreCompactFork", OnByDefault: true, "info");

    /// <summary>The agent died and was restarted: what was resumed, what was lost, the turn that ended with an error.</summary>
    public static readonly NoticeKind AgentRestarted = new("agent-restarted", "AgentRestarted", OnByDefault: true, "warning");

    /// <summary>What only the host knows, added at the end of the agent's own <c>/context</c> turn.</summary>
    public static readonly NoticeKind Context = new("context", "Context", OnByDefault: true, "info");

    /// <summary>
    /// A large session's prompt cache is about to go cold (or, for a client that shows notices only in a turn, went
    /// cold): what the next prompt writes again and what that costs. Off by default.
    /// </summary>
    public static readonly NoticeKind CacheExpiry = new("cache-expiry", "CacheExpiry", OnByDefault: false, "warning");

    /// <summary>Every kind.</summary>
    public static IReadOnlyList<NoticeKind> All { get; } = [Compaction, PreCompactFork, AgentRestarted, Context, CacheExpiry];
}
