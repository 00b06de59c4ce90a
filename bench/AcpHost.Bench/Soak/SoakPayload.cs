namespace AcpHost.Bench.Soak;

/// <summary>
/// The payloads of the soak: a run of one letter chosen by the message's sequence number, so a receiver can check
/// both its length and that it is the one that was sent, without keeping a copy. Sizes are skewed like real traffic:
/// mostly small, now and then large, rarely up to the maximum.
/// </summary>
internal static class SoakPayload
{
    /// <summary>The payload of message <paramref name="seq"/>, <paramref name="size"/> characters long.</summary>
    public static string Make(long seq, int size) => new(Letter(seq), size);

    /// <summary>True when <paramref name="payload"/> is what <see cref="Make"/> gives for these arguments.</summary>
    public static bool IsValid(string? payload, long seq, int size) =>
        payload is not null && payload.Length == size && payload.AsSpan().IndexOfAnyExcept(Letter(seq)) < 0;

    /// <summary>A random size: 80 % up to 2 KiB, 15 % up to 64 KiB, 4 % up to 512 KiB, 1 % up to <paramref name="max"/>.</summary>
    public static int RandomSize(Random random, int max)
    {
        int roll = random.Next(100);
        int limit = roll < 80 ? 2 * 1024 : roll < 95 ? 64 * 1024 : roll < 99 ? 512 * 1024 : max;
        return random.Next(Math.Min(limit, max) + 1);
    }

    private static char Letter(long seq) => (char)('a' + (int)(seq % 26));
}
