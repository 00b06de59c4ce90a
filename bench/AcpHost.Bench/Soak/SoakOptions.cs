using System.Globalization;

namespace AcpHost.Bench.Soak;

/// <summary>The soak run's settings, from its command line.</summary>
internal sealed record SoakOptions
{
    public const string Usage = """
        usage: acphost-bench soak --acphost PATH [OPTIONS]
          --acphost PATH         the acphost executable (or acphost.dll, run with dotnet) to soak
          --duration SECONDS     how long to send traffic (default 180)
          --max-messages N       stop sending after N messages even if time is left (default 5000000)
          --sessions N           session ids to spread the traffic over (default 32)
          --window N             requests in flight at most (default 32)
          --max-size BYTES       the largest payload (default 4194304); most are far smaller
          --sample SECONDS       RSS sampling interval (default 5)
          --warmup SECONDS       RSS after this long is the baseline (default: a fifth of the duration, at most 60)
          --growth-mib N         how far above the baseline the final RSS may be (default 64)
          --seed N               random seed (default: from the clock; printed)
        """;

    public required string Acphost { get; init; }

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(180);

    public long MaxMessages { get; init; } = 5_000_000;

    public int Sessions { get; init; } = 32;

    public int Window { get; init; } = 32;

    public int MaxSize { get; init; } = 4 * 1024 * 1024;

    public TimeSpan SampleInterval { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan? Warmup { get; init; }

    public long GrowthMiB { get; init; } = 64;

    public int Seed { get; init; } = Environment.TickCount;

    /// <summary>The warm-up, defaulted from the duration.</summary>
    public TimeSpan WarmupOrDefault => Warmup ?? TimeSpan.FromSeconds(Math.Min(60, Duration.TotalSeconds / 5));

    /// <summary>Parses the arguments after <c>soak</c>; throws <see cref="FormatException"/> with the reason.</summary>
    public static SoakOptions Parse(string[] args)
    {
        string? acphost = null;
        var options = new SoakOptions { Acphost = "" };
        for (int i = 0; i < args.Length; i++)
        {
            string value = i + 1 < args.Length ? args[i + 1] : throw new FormatException($"{args[i]} needs a value");
            options = args[i] switch
            {
                "--acphost" => options with { Acphost = acphost = value },
                "--duration" => options with { Duration = TimeSpan.FromSeconds(Number(value)) },
                "--max-messages" => options with { MaxMessages = Number(value) },
                "--sessions" => options with { Sessions = (int)Number(value) },
                "--window" => options with { Window = (int)Number(value) },
                "--max-size" => options with { MaxSize = (int)Number(value) },
                "--sample" => options with { SampleInterval = TimeSpan.FromSeconds(Number(value)) },
                "--warmup" => options with { Warmup = TimeSpan.FromSeconds(Number(value)) },
                "--growth-mib" => options with { GrowthMiB = Number(value) },
                "--seed" => options with { Seed = (int)Number(value) },
                _ => throw new FormatException($"unknown option {args[i]}"),
            };
            i++;
        }

        return acphost is null ? throw new FormatException("--acphost is required") : options;
    }

    private static long Number(string text) =>
        long.TryParse(text, CultureInfo.InvariantCulture, out long value) && value > 0 ? value : throw new FormatException($"'{text}' is not a positive number");
}
