namespace AcpHost.Settings;

/// <summary>
/// The range every time setting must lie in, checked before anything starts so that a value the host cannot use is a
/// "Cannot start: …" naming the setting (exit 2), never a crash later (a timer of zero, a delay longer than the
/// runtime's timers take, a sum that overflows).
/// </summary>
internal static class SettingBounds
{
    /// <summary>The longest any time setting may be: far beyond any sensible value, well within what timers take.</summary>
    public static readonly TimeSpan MaxTiming = TimeSpan.FromDays(1);

    /// <summary>True when <paramref name="value"/> is at least zero (above it, unless <paramref name="zeroAllowed"/>) and at most <see cref="MaxTiming"/>.</summary>
    public static bool IsTiming(TimeSpan value, bool zeroAllowed = true) =>
        (zeroAllowed ? value >= TimeSpan.Zero : value > TimeSpan.Zero) && value <= MaxTiming;
}
