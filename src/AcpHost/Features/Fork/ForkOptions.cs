namespace AcpHost.Features.Fork;

/// <summary>Forking settings. Bound from the <c>Fork</c> configuration section.</summary>
internal sealed class ForkOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Fork";

    /// <summary>
    /// Fork a session automatically once its context fill (<c>usage_update</c> used/size) reaches this percentage, so a
    /// branch with the full history exists before auto-compact flattens it (<see cref="PreCompactPolicy.MarkFor"/>).
    /// On by default at <see cref="DefaultBeforeCompactPercent"/>: a user who never read the README still finds the
    /// whole history after an automatic compaction, and a fork the host makes costs no agent process until it is used.
    /// 0 (or <c>--fork-before-compact off</c>) turns it off.
    /// </summary>
    public double? BeforeCompactPercent { get; set; } = DefaultBeforeCompactPercent;

    /// <summary>The default mark: well below where the pinned agent compacts by itself (96.7 % of a 1,000,000-token window).</summary>
    public const double DefaultBeforeCompactPercent = 85;

    /// <summary>True when sessions are forked before auto-compact.</summary>
    public bool ForksBeforeCompact => BeforeCompactPercent is > 0;

    /// <summary>
    /// Close the forks the host makes itself (<c>/fork</c>, before auto-compact, <c>acphost fork</c>) on the agent right
    /// after making them, so each costs no agent process (about 190 MB of <c>claude</c>) until it is used; the host
    /// reopens one when the client sends it a message. On by default; off keeps them open (each then holds its agent process until the session ends).
    /// </summary>
    public bool CloseHostForks { get; set; } = true;
}
