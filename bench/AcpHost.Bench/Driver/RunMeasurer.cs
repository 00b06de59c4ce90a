using System.Diagnostics;

namespace AcpHost.Bench.Driver;

/// <summary>
/// One run of one configuration: spawn it, time the <c>initialize</c> round trip, warm up, then measure pings, the
/// small flood and the large flood on the same connection, read the relay's peak RSS and close it like an editor would.
/// The whole run is bounded by the per-run timeout, after which every process of the run is killed.
/// </summary>
internal sealed class RunMeasurer(DriverOptions options, IReadOnlyList<string> benchCommand, string logDirectory)
{
    private const int WarmupPings = 2_000;
    private const long WarmupSmallCount = 20_000;
    private const long WarmupLargeCount = 50;
    private const int WarmupPrompts = 2_000;
    private const double BytesPerMegabyte = 1_000_000;
    private static readonly TimeSpan IdleSettle = TimeSpan.FromSeconds(1);

    /// <summary>Runs <paramref name="configuration"/> once; failures come back as a result with an error, not as exceptions.</summary>
    public async Task<RunResult> MeasureAsync(RelayConfiguration configuration, int iteration, CancellationToken stop)
    {
        string? tempDirectory = configuration.UsesTempDirectory ? Directory.CreateTempSubdirectory("acphost-bench-run-").FullName : null;
        string stderrPath = Path.Combine(logDirectory, $"{configuration.Name}-{iteration}.stderr.log");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
        timeout.CancelAfter(TimeSpan.FromSeconds(options.TimeoutSeconds));
        try
        {
            IReadOnlyList<string> commandLine = configuration.BuildCommandLine(benchCommand, tempDirectory);
            return await MeasureAsync(configuration, iteration, commandLine, stderrPath, timeout.Token);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or OperationCanceledException
                                       or System.ComponentModel.Win32Exception)
        {
            string error = stop.IsCancellationRequested ? "interrupted"
                : timeout.IsCancellationRequested ? $"timed out after {options.TimeoutSeconds} s"
                : ex.Message;
            return new RunResult { Configuration = configuration.Name, Iteration = iteration, Error = $"{error} (stderr: {stderrPath})" };
        }
        finally
        {
            DeleteQuietly(tempDirectory);
        }
    }

    private async Task<RunResult> MeasureAsync(
        RelayConfiguration configuration, int iteration, IReadOnlyList<string> commandLine, string stderrPath, CancellationToken cancellationToken)
    {
        var requests = new BenchRequests();
        long spawned = Stopwatch.GetTimestamp();
        await using var child = ChildProcess.Start(commandLine, stderrPath);
        await using var killOnTimeout = cancellationToken.Register(child.Kill);
        var reader = new ResponseReader(child.Output);

        await RoundTripAsync(child, reader, requests.Initialize(), cancellationToken);
        TimeSpan startup = Stopwatch.GetElapsedTime(spawned);
        await RoundTripAsync(child, reader, requests.SessionNew(), cancellationToken);

        // What an idle relay holds, as an editor's session sitting open: read once start-up's background work is done.
        long? idleRss = null;
        if (configuration.HasRelay)
        {
            await Task.Delay(IdleSettle, cancellationToken);
            idleRss = PeakRss.ReadCurrentKiB(child.Id);
        }

        var prompts = new PromptRun(child, reader, requests, configuration.HasRelay);

        if (options.Warmup)
        {
            // Tiered JIT and buffer pools settle here, so the measurements below see the steady state.
            await PingAsync(child, reader, requests, WarmupPings, cancellationToken);
            await FloodAsync(child, reader, requests, Math.Min(WarmupSmallCount, options.SmallCount), options.SmallSize, cancellationToken);
            await FloodAsync(child, reader, requests, Math.Min(WarmupLargeCount, options.LargeCount), options.LargeSize, cancellationToken);
            await prompts.RunAsync(Math.Min(WarmupPrompts, options.Prompts), cancellationToken);
        }

        // The relay's CPU time over the pings: what waiting for the next message costs it (the spin before each read).
        TimeSpan cpuBeforePings = configuration.HasRelay ? child.CpuTime : TimeSpan.Zero;
        long[] pings = await PingAsync(child, reader, requests, options.Pings, cancellationToken);
        double? relayCpuPerPingUs = configuration.HasRelay ? (child.CpuTime - cpuBeforePings).TotalMicroseconds / options.Pings : null;
        // The relay's CPU time per small message: what relaying costs, apart from how busy the machine is (on two cores
        // shared with builds, the floods' wall-clock rates swing by half; CPU time per message moves far less).
        TimeSpan cpuBeforeSmall = configuration.HasRelay ? child.CpuTime : TimeSpan.Zero;
        (long smallBytes, TimeSpan smallTime) = await FloodAsync(child, reader, requests, options.SmallCount, options.SmallSize, cancellationToken);
        double? relayCpuPerSmallNs = configuration.HasRelay ? (child.CpuTime - cpuBeforeSmall).TotalNanoseconds / options.SmallCount : null;
        (long largeBytes, TimeSpan largeTime) = await FloodAsync(child, reader, requests, options.LargeCount, options.LargeSize, cancellationToken);

        // Conversation turns last: the peak before them is the floods', and the peak after a third of them against the
        // peak at the end shows whether each turn leaves something behind.
        long? peakBeforePrompts = configuration.HasRelay ? PeakRss.ReadKiB(child.Id) : null;
        TimeSpan cpuBeforePrompts = configuration.HasRelay ? child.CpuTime : TimeSpan.Zero;
        PromptRun.Measured turns = await prompts.MeasureAsync(options.Prompts, cancellationToken);
        double? relayCpuPerPromptUs = configuration.HasRelay ? (child.CpuTime - cpuBeforePrompts).TotalMicroseconds / options.Prompts : null;

        // Before closing: once stdin closes the relay may exit, and its /proc entry with it.
        long? peakRss = configuration.HasRelay ? PeakRss.ReadKiB(child.Id) : null;
        int exitCode = await child.CloseAsync(cancellationToken);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"{commandLine[0]} exited with code {exitCode} after the measurements");
        }

        Array.Sort(pings);
        return new RunResult
        {
            Configuration = configuration.Name,
            Iteration = iteration,
            StartupMs = startup.TotalMilliseconds,
            RelayIdleRssKiB = idleRss,
            PingP50Us = TicksToMicroseconds(Statistics.Percentile(pings, 50)),
            PingP99Us = TicksToMicroseconds(Statistics.Percentile(pings, 99)),
            PingMeanUs = TicksToMicroseconds(pings.Average()),
            RelayCpuPerPingUs = relayCpuPerPingUs,
            RelayCpuPerSmallMessageNs = relayCpuPerSmallNs,
            RelayCpuPerPromptUs = relayCpuPerPromptUs,
            SmallMessagesPerSecond = options.SmallCount / smallTime.TotalSeconds,
            SmallMegabytesPerSecond = smallBytes / BytesPerMegabyte / smallTime.TotalSeconds,
            LargeMessagesPerSecond = options.LargeCount / largeTime.TotalSeconds,
            LargeMegabytesPerSecond = largeBytes / BytesPerMegabyte / largeTime.TotalSeconds,
            PromptP50Us = TicksToMicroseconds(turns.P50Ticks),
            PromptP99Us = TicksToMicroseconds(turns.P99Ticks),
            RelayPeakRssBeforePromptsKiB = peakBeforePrompts,
            RelayPeakRssAfterThirdKiB = turns.PeakRssAfterThirdKiB,
            RelayPeakRssKiB = peakRss,
        };
    }

    private static async Task<long[]> PingAsync(
        ChildProcess child, ResponseReader reader, BenchRequests requests, int count, CancellationToken cancellationToken)
    {
        var ticks = new long[count];
        for (int i = 0; i < count; i++)
        {
            long start = Stopwatch.GetTimestamp();
            await RoundTripAsync(child, reader, requests.Ping(), cancellationToken);
            ticks[i] = Stopwatch.GetTimestamp() - start;
        }

        return ticks;
    }

    private static async Task<(long Bytes, TimeSpan Elapsed)> FloodAsync(
        ChildProcess child, ResponseReader reader, BenchRequests requests, long count, int size, CancellationToken cancellationToken)
    {
        BenchRequest request = requests.Flood(count, size);
        long start = Stopwatch.GetTimestamp();
        child.Send(request.Line.Span);
        long bytes = await reader.ReadFloodAsync(count, request.Marker, cancellationToken);
        return (bytes, Stopwatch.GetElapsedTime(start));
    }

    /// <summary>One request and its answer; everything the child writes before the answer is read and skipped.</summary>
    internal static async Task RoundTripAsync(ChildProcess child, ResponseReader reader, BenchRequest request, CancellationToken cancellationToken)
    {
        child.Send(request.Line.Span);
        await reader.ReadUntilAsync(request.Marker, cancellationToken);
    }

    private static void DeleteQuietly(string? directory)
    {
        try
        {
            if (directory is not null)
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (IOException)
        {
            // A leftover temp directory is not worth losing the run's results over.
        }
    }

    internal static double TicksToMicroseconds(double ticks) => ticks * 1_000_000 / Stopwatch.Frequency;
}
