using System.Diagnostics;

namespace AcpHost.Bench.Driver;

/// <summary>
/// Sequential conversation turns on one session: each <c>session/prompt</c> waits for its <c>end_turn</c> response,
/// with the agent's text chunks and <c>usage_update</c> read on the way (<see cref="Agent.PromptTurn"/>). Unlike a ping
/// these pass the host's interceptors of prompts and usage, so this is where a per-turn cost would show, in time and
/// in memory.
/// </summary>
internal sealed class PromptRun(ChildProcess child, ResponseReader reader, BenchRequests requests, bool hasRelay)
{
    private long _turn;

    /// <summary>Runs <paramref name="count"/> turns without measuring them (the warm-up).</summary>
    public async Task RunAsync(int count, CancellationToken cancellationToken)
    {
        for (int i = 0; i < count; i++)
        {
            await RunMeasurer.RoundTripAsync(child, reader, requests.Prompt(++_turn), cancellationToken);
        }
    }

    /// <summary>Runs <paramref name="count"/> turns, timing each, and reads the relay's peak RSS after the first third.</summary>
    public async Task<Measured> MeasureAsync(int count, CancellationToken cancellationToken)
    {
        var ticks = new long[count];
        long? peakAfterThird = null;
        for (int i = 0; i < count; i++)
        {
            if (i == count / 3 && hasRelay)
            {
                peakAfterThird = PeakRss.ReadKiB(child.Id);
            }

            long start = Stopwatch.GetTimestamp();
            await RunMeasurer.RoundTripAsync(child, reader, requests.Prompt(++_turn), cancellationToken);
            ticks[i] = Stopwatch.GetTimestamp() - start;
        }

        Array.Sort(ticks);
        return new Measured(Statistics.Percentile(ticks, 50), Statistics.Percentile(ticks, 99), peakAfterThird);
    }

    /// <summary>What the measured turns showed.</summary>
    /// <param name="P50Ticks">The median turn, request to response, in stopwatch ticks.</param>
    /// <param name="P99Ticks">The 99th percentile turn.</param>
    /// <param name="PeakRssAfterThirdKiB">The relay's VmHWM after a third of the turns; null without a relay.</param>
    public readonly record struct Measured(double P50Ticks, double P99Ticks, long? PeakRssAfterThirdKiB);
}
