namespace AcpHost.Features.Fork;

/// <summary>Forking settings. Bound from the <c>Fork</c> configuration section.</summary>
public sealed class ForkOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Fork";

    /// <summary>
    /// Fork a session automatically once its context fill (<c>usage_update</c> used/size) reaches this percentage, so a
    /// branch with the full history exists before auto-compact flattens it. Null (the default) turns it off.
    /// </summary>
    public double? BeforeCompactPercent { get; set; }
}
