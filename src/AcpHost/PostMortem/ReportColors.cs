namespace AcpHost.PostMortem;

/// <summary>
/// The report's colours: one per trigger, one per kind of token cost (a cold request's cache writes in red, as its mark
/// on the context chart), and a palette for session lines that stays apart in print.
/// </summary>
internal static class ReportColors
{
    public const string Auto = "#e8590c";
    public const string Manual = "#1c7ed6";
    public const string Idle = "#2b8a3e";
    public const string Unknown = "#868e96";

    public const string Cold = "#e03131";
    public const string CacheRead = "#a5d8ff";
    public const string CacheWrite = "#4dabf7";
    public const string Input = "#adb5bd";
    public const string Output = "#7048e8";

    public static readonly string[] Sessions = ["#1c7ed6", "#e8590c", "#2b8a3e", "#ae3ec9", "#c92a2a", "#0b7285"];

    public static string Trigger(string? trigger) => trigger switch
    {
        "auto" => Auto,
        "manual" => Manual,
        "idle" => Idle,
        _ => Unknown,
    };
}
