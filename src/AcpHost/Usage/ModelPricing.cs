namespace AcpHost.Usage;

/// <summary>
/// A model's prices: one <see cref="ModelPrice"/>, or two where the price depends on the prompt's length (a request
/// whose context is above <see cref="LongPromptAbove"/> pays <see cref="LongPrompt"/> on every token of it).
/// </summary>
internal sealed record ModelPricing(ModelPrice Price, long? LongPromptAbove = null, ModelPrice? LongPrompt = null)
{
    /// <summary>The prices a request of <paramref name="context"/> tokens pays.</summary>
    public ModelPrice For(long context) => LongPrompt is not null && context > LongPromptAbove ? LongPrompt : Price;
}
