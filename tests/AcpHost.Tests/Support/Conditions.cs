using System.Diagnostics;

namespace AcpHost.Tests.Support;

/// <summary>
/// How tests wait: on a condition, polled with a deadline, never for a fixed time. A test whose point is that something
/// does NOT happen uses <see cref="StaysPendingAsync"/>, the one place a fixed window is honest, and says why.
/// </summary>
internal static class Conditions
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(10);

    /// <summary>Returns once <paramref name="condition"/> holds (how long that took); fails naming <paramref name="what"/> after <paramref name="limit"/>.</summary>
    public static async Task<TimeSpan> UntilAsync(Func<bool> condition, TimeSpan limit, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(watch.Elapsed < limit, $"{what}: not within {limit.TotalSeconds:N1} s");
            await Task.Delay(Poll);
        }

        return watch.Elapsed;
    }

    /// <summary>
    /// True when <paramref name="condition"/> held at every look over <paramref name="window"/>: like
    /// <see cref="StaysPendingAsync"/>, a claim about absence, which can only be watched for a while.
    /// </summary>
    public static async Task<bool> HoldsForAsync(Func<bool> condition, TimeSpan window)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < window)
        {
            if (!condition())
            {
                return false;
            }

            await Task.Delay(Poll);
        }

        return condition();
    }

    /// <summary>
    /// True when <paramref name="task"/> is still pending after <paramref name="window"/>. Absence can only be watched
    /// for a while: the window is the test's claim, and a bug that lets the task finish early shows up within it.
    /// </summary>
    public static async Task<bool> StaysPendingAsync(Task task, TimeSpan window) =>
        await Task.WhenAny(task, Task.Delay(window)) != task;
}
