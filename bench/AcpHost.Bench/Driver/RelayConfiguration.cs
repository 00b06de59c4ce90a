using System.Text.Json.Serialization;

namespace AcpHost.Bench.Driver;

/// <summary>
/// One way of connecting the driver to the fake agent: the command line of the relay in the middle, as data, with the
/// agent's command appended after it. An empty command means no relay at all: the driver spawns the agent directly.
/// </summary>
/// <param name="Name">The name shown in the report and used with <c>--configs</c>.</param>
/// <param name="Command">
/// The relay's words. <c>{bench}</c> stands for this executable's own command and <c>{tmp}</c> for a fresh
/// directory that exists for one run only (a data directory, say).
/// </param>
internal sealed record RelayConfiguration(string Name, IReadOnlyList<string> Command)
{
    /// <summary>The name of the configuration every other one is compared with.</summary>
    public const string DirectName = "direct";

    /// <summary>The driver talks to the agent with nothing in between.</summary>
    public static RelayConfiguration Direct { get; } = new(DirectName, []);

    /// <summary>This executable's own bare byte pipe: the cost of any process in the middle, and nothing else.</summary>
    public static RelayConfiguration BarePipe { get; } = new("bare-pipe", ["{bench}", "pipe", "--"]);

    /// <summary>True when a relay process sits between the driver and the agent.</summary>
    [JsonIgnore]
    public bool HasRelay => Command.Count > 0;

    /// <summary>True when the command asks for a per-run directory.</summary>
    [JsonIgnore]
    public bool UsesTempDirectory => Command.Any(word => word.Contains("{tmp}", StringComparison.Ordinal));

    /// <summary>The published acphost, relaying to the agent with a throwaway data directory.</summary>
    public static RelayConfiguration Acphost(string path) => new("acphost", [path, "run", "--data-dir", "{tmp}", "--"]);

    /// <summary>Parses <c>NAME=WORD WORD...</c> from <c>--relay</c>; words are split on spaces, with no quoting.</summary>
    public static RelayConfiguration Parse(string spec)
    {
        int equals = spec.IndexOf('=', StringComparison.Ordinal);
        string name = equals > 0 ? spec[..equals].Trim() : "";
        string[] words = equals > 0 ? spec[(equals + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries) : [];
        if (name.Length == 0 || words.Length == 0)
        {
            throw new FormatException($"--relay wants NAME=COMMAND [ARGS...], got '{spec}'");
        }

        return new RelayConfiguration(name, words);
    }

    /// <summary>The full command line for one run: the relay's words, expanded, then the agent's command.</summary>
    public IReadOnlyList<string> BuildCommandLine(IReadOnlyList<string> benchCommand, string? tempDirectory)
    {
        var words = new List<string>();
        foreach (string word in Command)
        {
            if (word == "{bench}")
            {
                words.AddRange(benchCommand);
            }
            else
            {
                words.Add(tempDirectory is null ? word : word.Replace("{tmp}", tempDirectory, StringComparison.Ordinal));
            }
        }

        words.AddRange(benchCommand);
        words.Add("fake-agent");
        return words;
    }
}
