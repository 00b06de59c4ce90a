namespace AcpHost.Storage.Transcripts;

/// <summary>
/// Arithmetic on token counts read from files anyone can write: sums saturate at <see cref="long.MaxValue"/> (and
/// <see cref="long.MinValue"/>) instead of throwing <see cref="OverflowException"/> or wrapping, so a transcript or
/// ledger holding absurd numbers (6e18) still gives a table and a report, with the total shown as "at least this".
/// </summary>
internal static class TokenMath
{
    /// <summary>a + b, held at the bounds of <see cref="long"/>.</summary>
    public static long Add(long a, long b)
    {
        long sum = unchecked(a + b);

        // Overflow happened exactly when both operands share a sign that the result does not.
        return ((a ^ sum) & (b ^ sum)) < 0 ? (a < 0 ? long.MinValue : long.MaxValue) : sum;
    }

    /// <summary>The saturating sum of <paramref name="values"/>.</summary>
    public static long Sum(IEnumerable<long> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        long total = 0;
        foreach (long value in values)
        {
            total = Add(total, value);
        }

        return total;
    }

    /// <summary>The mean of two values rounded towards zero, exact for every pair (no intermediate sum).</summary>
    public static long Midpoint(long a, long b) => (long)(((Int128)a + b) / 2);
}
