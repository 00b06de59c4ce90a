using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace AcpHost.Usage;

/// <summary>
/// Prices by model-id prefix: a model takes the entry with the longest prefix of its id (case-insensitive), so
/// <c>claude-opus-4-5-20251101</c> takes <c>claude-opus-4-5</c> and <c>claude-opus-4-20250514</c> takes
/// <c>claude-opus-4</c>. A prefix is not taken where the id goes on with another version number
/// (<c>claude-fable-5</c> does not price <c>claude-fable-5-2</c>): a newer model is not silently given an older one's
/// price. A model no entry matches has no price: it is reported as unpriced, never priced at 0.
/// </summary>
/// <remarks>
/// Configuration changes or adds entries: <c>Pricing:Models:&lt;prefix&gt;:Input</c>, <c>:Output</c>,
/// <c>:CacheWrite5m</c>, <c>:CacheWrite1h</c>, <c>:CacheRead</c> (USD per million tokens), and for a second price above a
/// prompt length <c>:LongPrompt:Above</c> (tokens) with the same five under <c>:LongPrompt</c>. A field not given keeps
/// the value of the entry the prefix itself falls under (its own default, or the one a new, longer prefix extends);
/// a new entry that falls under none must give all five.
/// </remarks>
internal sealed class PriceTable
{
    /// <summary>The configuration section holding the entries.</summary>
    public const string Section = "Pricing:Models";

    private static readonly string[] Fields = [nameof(ModelPrice.Input), nameof(ModelPrice.Output), nameof(ModelPrice.CacheWrite5m), nameof(ModelPrice.CacheWrite1h), nameof(ModelPrice.CacheRead)];

    private const string LongPromptKey = "LongPrompt";
    private const string AboveKey = "Above";

    // Longest prefix first, so the first match is the longest.
    private readonly KeyValuePair<string, ModelPricing>[] _byLength;

    private PriceTable(IReadOnlyDictionary<string, ModelPricing> entries)
    {
        Entries = entries;
        _byLength = [.. entries.OrderByDescending(entry => entry.Key.Length).ThenBy(entry => entry.Key, StringComparer.OrdinalIgnoreCase)];
    }

    /// <summary>The shipped prices (<see cref="DefaultPrices"/>).</summary>
    public static PriceTable Default { get; } = new(DefaultPrices.Table);

    /// <summary>Every entry, by prefix.</summary>
    public IReadOnlyDictionary<string, ModelPricing> Entries { get; }

    /// <summary>The prices of <paramref name="model"/>: the entry with the longest prefix of its id, or null.</summary>
    public ModelPricing? Find(string? model)
    {
        if (string.IsNullOrEmpty(model))
        {
            return null;
        }

        foreach ((string prefix, ModelPricing pricing) in _byLength)
        {
            if (model.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && !GoesOnWithAVersion(model, prefix.Length))
            {
                return pricing;
            }
        }

        return null;
    }

    // "-2" or ".1" after the prefix, then a separator or the end: a version number, unlike a date ("-20250514").
    private static bool GoesOnWithAVersion(string model, int at)
    {
        if (at >= model.Length || model[at] is not ('-' or '.'))
        {
            return false;
        }

        int digits = 0;
        while (at + 1 + digits < model.Length && char.IsAsciiDigit(model[at + 1 + digits]))
        {
            digits++;
        }

        return digits is 1 or 2;
    }

    /// <summary>
    /// The defaults with what <paramref name="configuration"/> changes and adds under <see cref="Section"/>; throws
    /// <see cref="FormatException"/> naming the key for a value that is not a price, an unknown key or a missing field.
    /// </summary>
    public static PriceTable FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var entries = new Dictionary<string, ModelPricing>(DefaultPrices.Table, StringComparer.OrdinalIgnoreCase);
        foreach (IConfigurationSection entry in configuration.GetSection(Section).GetChildren())
        {
            // What it falls under now: itself, or the entry its prefix would take (a longer prefix extends a shorter one).
            ModelPricing? under = entries.GetValueOrDefault(entry.Key) ?? new PriceTable(entries).Find(entry.Key);
            string name = $"{Section}:{entry.Key}";
            if (entry.GetChildren().FirstOrDefault(child => !child.Key.Equals(LongPromptKey, StringComparison.OrdinalIgnoreCase) && !Fields.Contains(child.Key, StringComparer.OrdinalIgnoreCase)) is { } unknown)
            {
                throw new FormatException($"{name}:{unknown.Key} is not a price setting (known: {string.Join(", ", Fields)}, {LongPromptKey}:{AboveKey}, {LongPromptKey}:<same five>)");
            }

            ModelPrice price = ReadPrice(entry, name, under?.Price);
            IConfigurationSection longPrompt = entry.GetSection(LongPromptKey);
            long? above = under?.LongPromptAbove;
            ModelPrice? longPrice = under?.LongPrompt;
            if (longPrompt.Exists())
            {
                above = longPrompt[AboveKey] is { } text ? ReadTokens(text, $"{name}:{LongPromptKey}:{AboveKey}") : above
                    ?? throw new FormatException($"{name}:{LongPromptKey} needs {AboveKey} (the prompt length in tokens above which it applies)");
                longPrice = ReadPrice(longPrompt, $"{name}:{LongPromptKey}", longPrice);
            }

            entries[entry.Key] = new ModelPricing(price, above, longPrice);
        }

        return new PriceTable(entries);
    }

    private static ModelPrice ReadPrice(IConfigurationSection section, string name, ModelPrice? under)
    {
        double?[] given = [.. Fields.Select(field => section[field] is { } text ? ReadUsd(text, $"{name}:{field}") : (double?)null)];
        double[] values = [.. given.Select((value, i) => value ?? Fallback(under, i) ?? double.NaN)];
        string[] missing = [.. Fields.Where((_, i) => double.IsNaN(values[i]))];
        return missing.Length == 0
            ? new ModelPrice(values[0], values[1], values[2], values[3], values[4])
            : throw new FormatException($"{name} matches no shipped price, so it needs every field: {string.Join(", ", missing)} missing");
    }

    private static double? Fallback(ModelPrice? under, int field) => under is null ? null : field switch
    {
        0 => under.Input,
        1 => under.Output,
        2 => under.CacheWrite5m,
        3 => under.CacheWrite1h,
        _ => under.CacheRead,
    };

    private static double ReadUsd(string text, string key) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double usd) && double.IsFinite(usd) && usd >= 0
            ? usd
            : throw new FormatException($"{key} '{text}' is not a price in USD per million tokens, such as 3 or 0.30");

    private static long ReadTokens(string text, string key) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long tokens)
            ? tokens
            : throw new FormatException($"{key} '{text}' is not a number of tokens");
}
