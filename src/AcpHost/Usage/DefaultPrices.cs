namespace AcpHost.Usage;

/// <summary>
/// The prices <c>acphost usage</c> ships with, per model-id prefix, in USD per million tokens. Checked 2026-12-07
/// against Anthropic's published prices; <c>docs/usage.md</c> lists them with their sources. Any entry can be changed,
/// and any model added, with <c>Pricing:Models:&lt;prefix&gt;:…</c> (see <see cref="PriceTable"/>).
/// </summary>
/// <remarks>
/// Sources: [P] platform.claude.com/docs/en/about-claude/pricing, "Model pricing" (base input, 5m and 1h cache
/// writes, cache hits, output); [M] the model's own page, platform.claude.com/docs/en/models/&lt;model&gt;/overview,
/// "Pricing"; [P2025] the same pricing page as published in November 2025, for the models it no longer lists.
/// Not shipped, for want of a published price of every kind: Claude Fable 5.2 and Mythos 5.2 (only third-party
/// trackers name them) — they are listed as unpriced until configured.
/// </remarks>
internal static class DefaultPrices
{
    public static IReadOnlyDictionary<string, ModelPricing> Table { get; } = new Dictionary<string, ModelPricing>(StringComparer.OrdinalIgnoreCase)
    {
        // Claude Code's own estimate agrees: the captured transcript tests/TestData/agent-samples/transcript-sample.jsonl
        // prices 2,400 input and 13 output tokens of claude-opus-5-5 at $0.00986 = 2400 x $4 + 13 x $20 per million.
        ["claude-opus-5-5"] = Flat(input: 4, output: 20, write5m: 5, write1h: 8, read: 0.20), // [M]
        ["claude-opus-5"] = Flat(5, 25, 6.25, 10, 0.50), // [P] [M]
        ["claude-opus-4-8"] = Flat(5, 25, 6.25, 10, 0.50), // [P]
        ["claude-opus-4-7"] = Flat(5, 25, 6.25, 10, 0.50), // [P]
        ["claude-opus-4-6"] = Flat(5, 25, 6.25, 10, 0.50), // [P]
        ["claude-opus-4-5"] = Flat(5, 25, 6.25, 10, 0.50), // [P]
        ["claude-opus-4-1"] = Flat(15, 75, 18.75, 30, 1.50), // [P]
        ["claude-opus-4"] = Flat(15, 75, 18.75, 30, 1.50), // [P]
        ["claude-fable-5-1"] = Flat(10, 50, 12.50, 20, 0.25), // [P]
        ["claude-mythos-5-1"] = Flat(10, 50, 12.50, 20, 0.25), // [P]
        ["claude-fable-5"] = Flat(10, 50, 12.50, 20, 1), // [P]
        ["claude-mythos-5"] = Flat(10, 50, 12.50, 20, 1), // [P]

        // [M] gives $0.20 for cache hits in the copy read; three independent price trackers, each checked against the
        // pricing page between October and December 2026, report Anthropic's cut to $0.10 on 2026-10-07.
        ["claude-sonnet-5-5"] = Flat(2, 10, 2.50, 4, 0.10),
        ["claude-sonnet-5"] = Flat(2, 10, 2.50, 4, 0.20), // [M]

        // [M]: prompts over 100,000 tokens (input, cache writes and reads) pay the second price on every token. The page
        // states input, output and 5m writes for both bands and 1h writes for the first; the rest follow the page's
        // cache multipliers (1h write 2x input, hit 0.1x input), as price trackers also list them.
        ["claude-haiku-5-5"] = new ModelPricing(new ModelPrice(0.10, 0.50, 0.125, 0.20, 0.01), 100_000, new ModelPrice(0.50, 2.50, 0.625, 1.00, 0.05)),

        // [P2025]: above 200,000 tokens (the 1M-token beta) input and output cost $6 and $22.50; the cache prices there
        // are the page's multipliers of that input price (5m write 1.25x, 1h write 2x, hit 0.1x).
        ["claude-sonnet-4-5"] = new ModelPricing(new ModelPrice(3, 15, 3.75, 6, 0.30), 200_000, new ModelPrice(6, 22.50, 7.50, 12, 0.60)),
        ["claude-sonnet-4"] = new ModelPricing(new ModelPrice(3, 15, 3.75, 6, 0.30), 200_000, new ModelPrice(6, 22.50, 7.50, 12, 0.60)),

        // Sonnet 4.6 is not in [P2025] and no longer in [P]; its base prices are the same in every source found
        // (third-party guides, February-April 2026), which disagree on a long-context price: none is applied.
        ["claude-sonnet-4-6"] = Flat(3, 15, 3.75, 6, 0.30),
        ["claude-haiku-4-5"] = Flat(1, 5, 1.25, 2, 0.10), // [P2025]
        ["claude-3-7-sonnet"] = Flat(3, 15, 3.75, 6, 0.30), // [P2025]
        ["claude-3-5-haiku"] = Flat(0.80, 4, 1, 1.6, 0.08), // [P2025]
        ["claude-3-opus"] = Flat(15, 75, 18.75, 30, 1.50), // [P2025]
        ["claude-3-haiku"] = Flat(0.25, 1.25, 0.30, 0.50, 0.03), // [P2025]
    };

    private static ModelPricing Flat(double input, double output, double write5m, double write1h, double read) =>
        new(new ModelPrice(input, output, write5m, write1h, read));
}
