using System.Diagnostics;
using System.Globalization;
using AcpHost.Bench.Driver;

namespace AcpHost.Bench.Soak;

/// <summary>
/// The soak role: runs acphost (loopback only: its stdio and the soak agent it starts) for a bounded time and message
/// count, samples its RSS, and fails (exit 1) on any loss, disorder, damage, unexpected error, or memory growth past
/// the margin. The report goes to stdout, progress to stderr.
/// </summary>
internal static class SoakDriver
{
    public static async Task<int> RunAsync(string[] args)
    {
        SoakOptions options;
        try
        {
            options = SoakOptions.Parse(args);
        }
        catch (FormatException ex)
        {
            await Console.Error.WriteLineAsync($"{ex.Message}\n{SoakOptions.Usage}");
            return 2;
        }

        string dataDir = Directory.CreateTempSubdirectory("acphost-soak-").FullName;
        try
        {
            return await SoakAsync(options, dataDir);
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    private static async Task<int> SoakAsync(SoakOptions options, string dataDir)
    {
        using Process host = Start(options, dataDir);
        Task stderr = CopyStderrAsync(host, Path.Combine(dataDir, "acphost.stderr"));
        var wire = new SoakWire(host.StandardOutput.BaseStream, host.StandardInput.BaseStream);
        var client = new SoakClient(wire, options);
        Task reading = client.ReadAsync();
        Task answering = client.AnswerAsksAsync();
        using var sampling = new CancellationTokenSource();
        var samples = new List<RssSample>();
        var clock = Stopwatch.StartNew();
        Task sampler = SampleAsync(host.Id, client, clock, options.SampleInterval, samples, sampling.Token);

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"soak: {options.Acphost}, {options.Duration.TotalSeconds:N0} s or {options.MaxMessages:N0} messages, {options.Sessions} sessions, window {options.Window}, payloads up to {options.MaxSize / 1048576.0:N1} MiB, seed {options.Seed}"));
        await client.SendAsync(DateTime.UtcNow + options.Duration);
        SoakAgentReport? report = null;
        try
        {
            report = await client.FinishAsync(TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException)
        {
            // Reported below as an error: the agent's counts never came back.
        }

        RssSample end = ReadSample(host.Id, client, clock) ?? samples.LastOrDefault();
        await sampling.CancelAsync();
        await sampler;
        samples.Add(end);

        await wire.CloseOutputAsync();
        bool exited = await WaitForExitAsync(host, TimeSpan.FromSeconds(30));
        await Task.WhenAny(Task.WhenAll(reading, answering, stderr), Task.Delay(TimeSpan.FromSeconds(10)));
        if (report is not null)
        {
            client.Reconcile(report);
        }

        Console.WriteLine();
        Console.WriteLine("| time | RSS MiB | peak MiB | messages relayed |");
        Console.WriteLine("|---:|---:|---:|---:|");
        foreach (RssSample sample in samples)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {sample.At.TotalSeconds:N0} s | {sample.RssKiB / 1024.0:N1} | {sample.PeakKiB / 1024.0:N1} | {sample.Relayed:N0} |"));
        }

        Console.WriteLine();
        foreach (string line in client.Summary(report))
        {
            Console.WriteLine(line);
        }

        (bool flat, string memory) = CheckGrowth(samples, end, options);
        Console.WriteLine(memory);
        bool clean = client.Clean && report is not null;
        bool exitedCleanly = exited && host.ExitCode == 0;
        Console.WriteLine(exitedCleanly ? "acphost exited 0" : $"acphost {(exited ? $"exited {host.ExitCode}" : "did not exit within 30 s")}; its stderr: {Path.Combine(dataDir, "acphost.stderr")}");
        bool passed = clean && flat && exitedCleanly;
        Console.WriteLine(passed ? "result: PASS" : "result: FAIL");
        if (!passed)
        {
            await PrintStderrTailAsync(Path.Combine(dataDir, "acphost.stderr"));
        }

        return passed ? 0 : 1;
    }

    /// <summary>The baseline is the highest RSS sampled in the three intervals after warm-up; the end must stay within the margin of it.</summary>
    private static (bool Flat, string Text) CheckGrowth(List<RssSample> samples, RssSample end, SoakOptions options)
    {
        TimeSpan warmup = options.WarmupOrDefault;
        RssSample[] afterWarmup = [.. samples.Where(s => s.At >= warmup && s.At <= warmup + (3 * options.SampleInterval))];
        if (afterWarmup.Length == 0)
        {
            return (false, "memory: no sample after warm-up; run longer than the warm-up");
        }

        long baseline = afterWarmup.Max(s => s.RssKiB);
        long peak = samples.Max(s => s.PeakKiB);
        bool flat = end.RssKiB <= baseline + (options.GrowthMiB * 1024);
        return (flat, string.Create(CultureInfo.InvariantCulture,
            $"memory: RSS after warm-up ({warmup.TotalSeconds:N0} s) {baseline / 1024.0:N1} MiB, at the end {end.RssKiB / 1024.0:N1} MiB ({(end.RssKiB - baseline) / 1024.0:+0.0;-0.0} MiB, margin {options.GrowthMiB} MiB), peak {peak / 1024.0:N1} MiB: {(flat ? "flat" : "GREW")}"));
    }

    private static Process Start(SoakOptions options, string dataDir)
    {
        List<string> words = options.Acphost.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) ? ["dotnet", options.Acphost] : [options.Acphost];
        words.AddRange(["run", "--data-dir", dataDir, "--"]);
        words.AddRange(BenchCommand.Resolve());
        words.Add("soak-agent");
        var info = new ProcessStartInfo(words[0])
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string word in words.Skip(1))
        {
            info.ArgumentList.Add(word);
        }

        return Process.Start(info) ?? throw new InvalidOperationException($"{words[0]} did not start");
    }

    private static async Task SampleAsync(int pid, SoakClient client, Stopwatch clock, TimeSpan interval, List<RssSample> samples, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                if (ReadSample(pid, client, clock) is not { } sample)
                {
                    return;
                }

                samples.Add(sample);
                await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"soak: {sample.At.TotalSeconds:N0} s, RSS {sample.RssKiB / 1024.0:N1} MiB, {sample.Relayed:N0} messages relayed"));
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The run is over.
        }
    }

    private static RssSample? ReadSample(int pid, SoakClient client, Stopwatch clock)
    {
        long rss = -1;
        long? peak = PeakRss.ReadKiB(pid);
        try
        {
            string? line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            if (line is not null)
            {
                rss = long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }
        catch (IOException)
        {
            return null;
        }

        return rss < 0 || peak is null ? null : new RssSample(clock.Elapsed, rss, peak.Value, client.Relayed);
    }

    private static async Task<bool> WaitForExitAsync(Process host, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await host.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            host.Kill(entireProcessTree: true);
            return false;
        }
    }

    private static async Task CopyStderrAsync(Process host, string path)
    {
        await using var file = File.Create(path);
        await host.StandardError.BaseStream.CopyToAsync(file);
    }

    private static async Task PrintStderrTailAsync(string path)
    {
        string[] lines = await File.ReadAllLinesAsync(path);
        await Console.Error.WriteLineAsync("soak: the last lines acphost wrote to stderr:");
        foreach (string line in lines.TakeLast(20))
        {
            await Console.Error.WriteLineAsync("  " + line);
        }
    }

    private readonly record struct RssSample(TimeSpan At, long RssKiB, long PeakKiB, long Relayed);
}
