using System.Runtime.InteropServices;
using System.Text.Json;

namespace AcpHost.Bench.Driver;

/// <summary>
/// The <c>run</c> role: alternates the configurations for the requested number of repetitions, reports progress on
/// stderr, then prints the Markdown report on stdout and, if asked, saves the raw results as JSON.
/// </summary>
internal static class BenchDriver
{
    /// <summary>Runs the benchmark; returns 0 when every run succeeded, 1 when some failed, 2 for bad arguments.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Contains("--help") || args.Contains("-h"))
        {
            await Console.Out.WriteAsync(DriverOptions.Help);
            return 0;
        }

        DriverOptions options;
        IReadOnlyList<RelayConfiguration> configurations;
        try
        {
            options = DriverOptions.Parse(args);
            configurations = options.Configurations();
            if (options.AcphostPath is not null && !File.Exists(options.AcphostPath))
            {
                throw new FormatException($"--acphost: no file at '{options.AcphostPath}'");
            }
        }
        catch (FormatException ex)
        {
            await Console.Error.WriteLineAsync($"acphost-bench run: {ex.Message} (see acphost-bench run --help)");
            return 2;
        }

        string logDirectory = options.LogDirectory ?? Directory.CreateTempSubdirectory("acphost-bench-logs-").FullName;
        Directory.CreateDirectory(logDirectory);
        DateTimeOffset startedAt = DateTimeOffset.Now;
        IReadOnlyList<RunResult> runs = await RunAllAsync(options, configurations, logDirectory);

        if (options.JsonPath is not null)
        {
            await SaveAsync(options, configurations, runs, startedAt);
        }

        await Console.Out.WriteAsync(MarkdownReport.Render(options, configurations, runs));
        bool allSucceeded = runs.Count == options.Repeat * configurations.Count && runs.All(r => r.Succeeded);
        if (allSucceeded && options.LogDirectory is null)
        {
            Directory.Delete(logDirectory, recursive: true);
        }
        else
        {
            await Console.Error.WriteLineAsync($"the children's stderr is in {logDirectory}");
        }

        return allSucceeded ? 0 : 1;
    }

    private static async Task<IReadOnlyList<RunResult>> RunAllAsync(
        DriverOptions options, IReadOnlyList<RelayConfiguration> configurations, string logDirectory)
    {
        // The driver owns Ctrl+C: it stops the loop and kills the run in progress, so no child outlives it.
        using var stop = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            var measurer = new RunMeasurer(options, BenchCommand.Resolve(), logDirectory);
            var runs = new List<RunResult>();
            int total = options.Repeat * configurations.Count;
            for (int iteration = 1; iteration <= options.Repeat; iteration++)
            {
                for (int k = 0; k < configurations.Count && !stop.IsCancellationRequested; k++)
                {
                    // Alternate, and rotate who goes first, so drift in the machine (heat, caches, neighbours)
                    // falls on every configuration alike.
                    RelayConfiguration configuration = configurations[(k + iteration - 1) % configurations.Count];
                    await Console.Error.WriteAsync($"[{runs.Count + 1}/{total}] {configuration.Name} #{iteration}: ");
                    RunResult run = await measurer.MeasureAsync(configuration, iteration, stop.Token);
                    runs.Add(run);
                    await Console.Error.WriteLineAsync(Describe(run));
                }
            }

            return runs;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    private static string Describe(RunResult run) => run.Succeeded
        ? FormattableString.Invariant(
            $"startup {run.StartupMs:F1} ms, ping p50 {run.PingP50Us:F1} µs p99 {run.PingP99Us:F1} µs, small {run.SmallMessagesPerSecond:N0} msgs/s {run.SmallMegabytesPerSecond:F1} MB/s, large {run.LargeMegabytesPerSecond:F1} MB/s, turn p50 {run.PromptP50Us:F1} µs{(run.RelayPeakRssKiB is long rss ? $", relay peak RSS {run.RelayPeakRssBeforePromptsKiB / 1024.0:F1} before turns, {run.RelayPeakRssAfterThirdKiB / 1024.0:F1} after 1/3, {rss / 1024.0:F1} MiB at the end" : "")}")
        : "FAILED: " + run.Error;

    private static async Task SaveAsync(
        DriverOptions options, IReadOnlyList<RelayConfiguration> configurations, IReadOnlyList<RunResult> runs, DateTimeOffset startedAt)
    {
        var results = new BenchResults
        {
            StartedAt = startedAt,
            Machine = RuntimeInformation.OSDescription,
            ProcessorCount = Environment.ProcessorCount,
            Runtime = RuntimeInformation.FrameworkDescription,
            Options = options,
            Configurations = configurations,
            Runs = runs,
        };
        await using FileStream file = File.Create(options.JsonPath!);
        await JsonSerializer.SerializeAsync(file, results, BenchJsonContext.Default.BenchResults);
    }
}
