namespace AcpHost.Agent;

/// <summary>When a dead agent is restarted. Bound from <c>Agent:Restart</c>.</summary>
internal sealed class RestartOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Agent:Restart";

    /// <summary>How many restarts are allowed within <see cref="Window"/>; 0 turns restarting off. Default 3.</summary>
    public int MaxRestarts { get; set; } = 3;

    /// <summary>The window <see cref="MaxRestarts"/> counts in. Default 10 minutes.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The wait before the 1st, 2nd, … restart in a window; the last repeats. Default 0.5 s, 2 s, 5 s.</summary>
    public IList<TimeSpan> Delays { get; } = [];

    /// <summary>The delays to use: the configured ones, or the defaults when none are configured.</summary>
    public IReadOnlyList<TimeSpan> EffectiveDelays =>
        Delays.Count > 0 ? [.. Delays] : [TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5)];
}
