using System.CommandLine;
using AcpHost.Hosting;
using AcpHost.Settings;

namespace AcpHost.Cli;

/// <summary>Options every command shares, and how they map onto configuration keys.</summary>
internal sealed class CommonOptions
{
    public Option<string?> DataDir { get; } = new("--data-dir")
    {
        Description = "Data directory (logs, installed agent). Default: $ACPHOST_DATA_DIR, else $XDG_DATA_HOME/acphost, else ~/.local/share/acphost",
        HelpName = "DIR",
        Recursive = true,
    };

    public Option<string?> LogLevel { get; } = new("--log-level")
    {
        Description = "Log level: " + LogLevels.Accepted + ". Default: Information (setting Logging:Level)",
        HelpName = "LEVEL",
        Recursive = true,
    };

    public Option<string[]> Set { get; } = new("--set")
    {
        Description = "Any setting as Key=Value, e.g. --set Agent:Version=0.100.0 (repeatable)",
        HelpName = "KEY=VALUE",
        Recursive = true,
        AllowMultipleArgumentsPerToken = false,
    };

    public void AddTo(Command command)
    {
        command.Options.Add(DataDir);
        command.Options.Add(LogLevel);
        command.Options.Add(Set);
    }

    /// <summary>The configuration overrides these options stand for; named options win over <c>--set</c>.</summary>
    public Dictionary<string, string?> ToOverrides(ParseResult parse)
    {
        Dictionary<string, string?> overrides = HostConfiguration.ParseAssignments(parse.GetValue(Set) ?? []);
        if (parse.GetValue(DataDir) is { Length: > 0 } dataDir)
        {
            overrides["DataDir"] = dataDir;
        }

        if (parse.GetValue(LogLevel) is { Length: > 0 } level)
        {
            if (!LogLevels.TryParse(level, out _))
            {
                throw new FormatException($"--log-level '{level}' is not a level ({LogLevels.Accepted})");
            }

            overrides["Logging:Level"] = level;
        }

        return overrides;
    }

    /// <summary>
    /// The data directory these options, the settings and the environment name. Throws <see cref="FormatException"/>
    /// or <see cref="InvalidOperationException"/> for a bad command line or settings.
    /// </summary>
    public string ResolveDataDir(ParseResult parse, Func<string, string?>? environment = null) =>
        DataDirectory.Resolve(HostConfiguration.Build(ToOverrides(parse))["DataDir"], environment);

    /// <summary>The data directory, or null after saying on stderr why the command line is wrong.</summary>
    public async Task<string?> TryResolveDataDirAsync(ParseResult parse, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(parse);
        try
        {
            return ResolveDataDir(parse, environment);
        }
        catch (Exception ex) when (ex is FormatException or InvalidOperationException)
        {
            await parse.InvocationConfiguration.Error.WriteLineAsync("acphost: " + ex.Message).ConfigureAwait(false);
            return null;
        }
    }
}
