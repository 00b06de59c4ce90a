using AcpHost.Usage;

namespace AcpHost.Tests.Usage;

public sealed class ContextMedianTests
{
    private const int Timeout = 10_000;

    [Fact(Timeout = Timeout)]
    public async Task Median_FewValues_IsExactWithTheMeanOfTheMiddleTwo()
    {
        var median = new ContextMedian();
        foreach (long value in new long[] { 900, 100, 300, 200 })
        {
            median.Add(value);
        }

        Assert.Equal(250, median.Median());
        median.Add(1_000);
        Assert.Equal(300, median.Median());
        Assert.Null(new ContextMedian().Median());
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Median_ManyValuesAndMerged_WithinHalfAPercentOfTheExactOne()
    {
        var random = new Random(5);
        long[] values = [.. Enumerable.Range(0, 100_000).Select(_ => (long)random.Next(1_000, 2_000_000))];
        var left = new ContextMedian();
        var right = new ContextMedian();
        for (int i = 0; i < values.Length; i++)
        {
            (i % 3 == 0 ? left : right).Add(values[i]);
        }

        left.Add(right);

        long[] sorted = [.. values.Order()];
        double exact = (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2.0;
        Assert.Equal(values.Length, left.Count);
        Assert.InRange(left.Median()!.Value, exact * 0.995, exact * 1.005);
        await Task.CompletedTask;
    }
}
