using System.Globalization;

namespace AcpHost.Bench.Driver;

/// <summary>The driver's settings, parsed from the command line of <c>acphost-bench run</c>.</summary>
internal sealed record DriverOptions
{
    /// <summary>The help text for <c>acphost-bench run --help</c>.</summary>
    public const string Help = """
        usage: acphost-bench run [OPTIONS]

        Measures each configuration against a direct connection to the fake agent; prints medians as a Markdown table
        on stdout, progress on stderr.

          --acphost PATH        add the 'acphost' configuration: PATH run --data-dir {tmp} -- AGENT
          --relay NAME=CMD      add a configuration whose relay is CMD (words split on spaces), the agent appended;
                                {bench} is this executable, {tmp} a directory made fresh for each run
          --configs A,B,...     run only these configurations (default: direct, bare-pipe, then the ones added)
          --repeat N            runs per configuration, alternated (default 5)
          --small-count N       small-message flood: notifications (default 200000)
          --small-size BYTES    small-message flood: bytes per line (default 200)
          --large-count N       large-message flood: notifications (default 2000)
          --large-size BYTES    large-message flood: bytes per line (default 65536)
          --pings N             sequential bench/ping round trips (default 20000)
          --prompts N           sequential session/prompt turns, each 8 text chunks, a usage_update and end_turn
                                (default 20000); the relay's peak RSS is read after a third of them and at the end
          --no-warmup           skip the unmeasured warm-up before each run's measurements
          --timeout SECONDS     per-run limit; the processes are killed when it passes (default 120)
          --json FILE           save every run's raw results
          --log-dir DIR         keep the children's stderr here (default: a temp directory, removed if all runs pass)
        """;

    public string? AcphostPath { get; init; }

    public IReadOnlyList<RelayConfiguration> ExtraRelays { get; init; } = [];

    public IReadOnlyList<string>? OnlyConfigurations { get; init; }

    public int Repeat { get; init; } = 5;

    public long SmallCount { get; init; } = 200_000;

    public int SmallSize { get; init; } = 200;

    public long LargeCount { get; init; } = 2_000;

    public int LargeSize { get; init; } = 64 * 1024;

    public int Pings { get; init; } = 20_000;

    public int Prompts { get; init; } = 20_000;

    public bool Warmup { get; init; } = true;

    public double TimeoutSeconds { get; init; } = 120;

    public string? JsonPath { get; init; }

    public string? LogDirectory { get; init; }

    /// <summary>Parses the arguments after <c>run</c>; throws <see cref="FormatException"/> with a readable message.</summary>
    public static DriverOptions Parse(IReadOnlyList<string> args)
    {
        var options = new DriverOptions();
        var relays = new List<RelayConfiguration>();
        for (int i = 0; i < args.Count; i++)
        {
            string name = args[i];
            string Value() => ++i < args.Count ? args[i] : throw new FormatException($"{name} needs a value");
            options = name switch
            {
                "--acphost" => options with { AcphostPath = Value() },
                "--relay" => Add(options, relays, RelayConfiguration.Parse(Value())),
                "--configs" => options with { OnlyConfigurations = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) },
                "--repeat" => options with { Repeat = (int)Positive(name, Value()) },
                "--small-count" => options with { SmallCount = Positive(name, Value()) },
                "--small-size" => options with { SmallSize = (int)Positive(name, Value()) },
                "--large-count" => options with { LargeCount = Positive(name, Value()) },
                "--large-size" => options with { LargeSize = (int)Positive(name, Value()) },
                "--pings" => options with { Pings = (int)Positive(name, Value()) },
                "--prompts" => options with { Prompts = (int)Positive(name, Value()) },
                "--no-warmup" => options with { Warmup = false },
                "--timeout" => options with { TimeoutSeconds = Positive(name, Value()) },
                "--json" => options with { JsonPath = Value() },
                "--log-dir" => options with { LogDirectory = Value() },
                _ => throw new FormatException($"unknown option '{name}'"),
            };
        }

        return options;
    }

    /// <summary>The configurations to run, in report order: direct first, since everything is compared with it.</summary>
    public IReadOnlyList<RelayConfiguration> Configurations()
    {
        var all = new List<RelayConfiguration> { RelayConfiguration.Direct, RelayConfiguration.BarePipe };
        if (AcphostPath is not null)
        {
            all.Add(RelayConfiguration.Acphost(Path.GetFullPath(AcphostPath)));
        }

        all.AddRange(ExtraRelays);
        string? duplicate = all.GroupBy(c => c.Name).FirstOrDefault(g => g.Count() > 1)?.Key;
        if (duplicate is not null)
        {
            throw new FormatException($"two configurations are named '{duplicate}'");
        }

        if (OnlyConfigurations is null)
        {
            return all;
        }

        string? unknown = OnlyConfigurations.FirstOrDefault(name => all.All(c => c.Name != name));
        return unknown is null
            ? all.Where(c => OnlyConfigurations.Contains(c.Name)).ToList()
            : throw new FormatException($"--configs names '{unknown}', which is not one of: {string.Join(", ", all.Select(c => c.Name))}");
    }

    private static DriverOptions Add(DriverOptions options, List<RelayConfiguration> relays, RelayConfiguration relay)
    {
        relays.Add(relay);
        return options with { ExtraRelays = relays.ToArray() };
    }

    private static long Positive(string name, string value) =>
        long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out long number) && number > 0 && number <= int.MaxValue
            ? number
            : throw new FormatException($"{name} wants a positive integer, got '{value}'");
}
