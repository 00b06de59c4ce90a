using AcpHost.Storage.Transcripts;
using AcpHost.Usage;
using Microsoft.Extensions.Configuration;

namespace AcpHost.Tests.Usage;

/// <summary>Prices by the longest model-id prefix, the shipped defaults, and what configuration changes and adds.</summary>
public sealed class PriceTableTests
{
    private const int Timeout = 10_000;

    private static PriceTable Configured(params (string Key, string Value)[] settings) =>
        PriceTable.FromConfiguration(new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build());

    [Theory(Timeout = Timeout)]
    [InlineData("claude-opus-5-5", 4.0)]
    [InlineData("claude-opus-5-5[1m]", 4.0)]
    [InlineData("claude-opus-5-20260724", 5.0)]
    [InlineData("claude-opus-4-5-20251101", 5.0)]
    [InlineData("claude-opus-4-20250514", 15.0)]
    [InlineData("CLAUDE-SONNET-5-5", 2.0)]
    [InlineData("claude-haiku-4-5-20251001", 1.0)]
    public async Task Find_LongestPrefixWins(string model, double input)
    {
        Assert.Equal(input, PriceTable.Default.Find(model)!.Price.Input);
        await Task.CompletedTask;
    }

    [Theory(Timeout = Timeout)]
    [InlineData("gateway-model")]
    [InlineData("")]
    [InlineData(null)]
    public async Task Find_NoEntry_IsNullNeverZero(string? model)
    {
        Assert.Null(PriceTable.Default.Find(model));
        await Task.CompletedTask;
    }

    [Theory(Timeout = Timeout)]
    [InlineData("claude-fable-5-2")]
    [InlineData("claude-opus-5-6-20270101")]
    [InlineData("claude-sonnet-4-7")]
    public async Task Find_NewerVersionOfAShippedModel_IsUnpricedNotGivenTheOlderPrice(string model)
    {
        Assert.Null(PriceTable.Default.Find(model));
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Default_OpusFiveFive_MatchesClaudeCodesOwnEstimateInTheCapturedTranscript()
    {
        // transcript-sample.jsonl's cost-state: 2,400 input and 13 output tokens of claude-opus-5-5 cost $0.00986.
        ModelPrice price = PriceTable.Default.Find("claude-opus-5-5")!.Price;

        Assert.Equal(0.00986, price.Cost(new TokenCounts(2_400, 0, 0, 0, 13)).Total, 9);
        Assert.Equal(new ModelPrice(4, 20, 5, 8, 0.20), price);
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task For_HaikuFiveFiveAboveOneHundredThousand_PaysTheLongPromptPriceOnEveryToken()
    {
        ModelPricing haiku = PriceTable.Default.Find("claude-haiku-5-5")!;

        Assert.Equal(0.10, haiku.For(100_000).Input);
        Assert.Equal(0.50, haiku.For(100_001).Input);
        Assert.Equal(2.50, haiku.For(100_001).Output);
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task FromConfiguration_OneField_OverridesItAndKeepsTheOthers()
    {
        PriceTable table = Configured(("Pricing:Models:claude-opus-4:Input", "5"));

        Assert.Equal(new ModelPrice(5, 75, 18.75, 30, 1.50), table.Find("claude-opus-4-20250514")!.Price);
        Assert.Equal(15, table.Find("claude-opus-4-1-20250805")!.Price.Input);
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task FromConfiguration_NewLongerPrefix_ExtendsTheEntryItFallsUnder()
    {
        PriceTable table = Configured(("Pricing:Models:claude-opus-5-5-fast:Input", "8"), ("Pricing:Models:claude-opus-5-5-fast:Output", "40"));

        Assert.Equal(new ModelPrice(8, 40, 5, 8, 0.20), table.Find("claude-opus-5-5-fast-20261201")!.Price);
        Assert.Equal(4, table.Find("claude-opus-5-5")!.Price.Input);
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task FromConfiguration_NewModelWithEveryField_IsPricedWithALongPromptPrice()
    {
        PriceTable table = Configured(
            ("Pricing:Models:gateway-model:Input", "1"),
            ("Pricing:Models:gateway-model:Output", "2"),
            ("Pricing:Models:gateway-model:CacheWrite5m", "1.25"),
            ("Pricing:Models:gateway-model:CacheWrite1h", "2"),
            ("Pricing:Models:gateway-model:CacheRead", "0.1"),
            ("Pricing:Models:gateway-model:LongPrompt:Above", "200000"),
            ("Pricing:Models:gateway-model:LongPrompt:Input", "3"),
            ("Pricing:Models:gateway-model:LongPrompt:Output", "4"),
            ("Pricing:Models:gateway-model:LongPrompt:CacheWrite5m", "3.75"),
            ("Pricing:Models:gateway-model:LongPrompt:CacheWrite1h", "6"),
            ("Pricing:Models:gateway-model:LongPrompt:CacheRead", "0.3"));

        ModelPricing pricing = table.Find("gateway-model-v2")!;
        Assert.Equal(new ModelPrice(1, 2, 1.25, 2, 0.1), pricing.For(200_000));
        Assert.Equal(new ModelPrice(3, 4, 3.75, 6, 0.3), pricing.For(200_001));
        await Task.CompletedTask;
    }

    [Theory(Timeout = Timeout)]
    [InlineData("Pricing:Models:gateway-model:Input", "1", "needs every field: Output, CacheWrite5m, CacheWrite1h, CacheRead missing")]
    [InlineData("Pricing:Models:claude-opus-4:Input", "five", "Pricing:Models:claude-opus-4:Input 'five' is not a price")]
    [InlineData("Pricing:Models:claude-opus-4:Input", "-1", "'-1' is not a price")]
    [InlineData("Pricing:Models:claude-opus-4:Inptu", "5", "Pricing:Models:claude-opus-4:Inptu is not a price setting")]
    [InlineData("Pricing:Models:claude-opus-4:LongPrompt:Input", "5", "needs Above")]
    public async Task FromConfiguration_BadSetting_SaysWhichKeyAndWhy(string key, string value, string expected)
    {
        var error = Assert.Throws<FormatException>(() => Configured((key, value)));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        await Task.CompletedTask;
    }
}
