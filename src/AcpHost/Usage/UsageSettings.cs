using Microsoft.Extensions.Configuration;

namespace AcpHost.Usage;

/// <summary>The prices and rules a usage is counted with.</summary>
internal sealed record UsageSettings(PriceTable Prices, UsageRules Rules)
{
    /// <summary>The shipped prices and the real cache lifetimes.</summary>
    public static UsageSettings Default { get; } = new(PriceTable.Default, new UsageRules());

    /// <summary>
    /// What <paramref name="configuration"/> sets (<c>Pricing:Models:…</c>, <c>Usage:…</c>) over the defaults; throws
    /// <see cref="FormatException"/> naming the key of a bad value.
    /// </summary>
    public static UsageSettings FromConfiguration(IConfiguration configuration) =>
        new(PriceTable.FromConfiguration(configuration), UsageRules.FromConfiguration(configuration));
}
