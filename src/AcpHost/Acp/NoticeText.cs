using System.Globalization;
using AcpHost.Events;

namespace AcpHost.Acp;

/// <summary>
/// How the host writes numbers, times and fork reasons in what it tells the user (notices, command answers): exact
/// token counts with thousands separated, times in UTC, the same words everywhere.
/// </summary>
internal static class NoticeText
{
    /// <summary><c>823,412</c>.</summary>
    public static string Tokens(long tokens) => tokens.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary><c>2026-12-07 14:03 UTC</c>, or <c>unknown time</c>.</summary>
    public static string Time(DateTimeOffset? at) =>
        at is { } time ? time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) : "unknown time";

    /// <summary>Percent of the window, rounded: <c>86 %</c>.</summary>
    public static string Percent(long used, long window) =>
        string.Create(CultureInfo.InvariantCulture, $"{Math.Round(100.0 * used / window, MidpointRounding.AwayFromZero):0} %");

    /// <summary><c>862,000 of 1,000,000 tokens (86 %)</c>, or what is known of it.</summary>
    public static string Fill(long? used, long? window) => (used, window) switch
    {
        ({ } u, { } w) when w > 0 => $"{Tokens(u)} of {Tokens(w)} tokens ({Percent(u, w)})",
        ({ } u, _) => $"{Tokens(u)} tokens",
        _ => "unknown fill",
    };

    /// <summary>Why a fork was made, in words: <c>/fork "note"</c>, <c>taken before compaction</c>, ….</summary>
    public static string ForkReason(string? reason, string? note) => reason switch
    {
        ForkReasons.Command => note is null ? "/fork" : $"/fork \"{note}\"",
        ForkReasons.PreCompact => "taken before compaction",
        ForkReasons.Control => "acphost fork",
        ForkReasons.Client => "forked by the editor",
        null => "fork",
        var other => other,
    };
}
