using System.CommandLine;
using AcpHost.Hosting;

namespace AcpHost.Cli;

/// <summary><c>acphost run</c>: relay between the editor on stdio and the agent. Also what a bare <c>acphost</c> does.</summary>
internal static class RunCommand
{
    public const string Description =
        "Relay ACP between the editor (this process's stdin/stdout) and the agent. Without an agent command, runs the pinned Claude agent, installing it with npm on first use.";

    public static Command Create(CommonOptions common)
    {
        var command = new Command("run", Description);
        Configure(command, common);
        return command;
    }

    /// <summary>Adds run's own options and action to <paramref name="command"/> (the root command gets them too).</summary>
    public static void Configure(Command command, CommonOptions common)
    {
        var trace = new Option<string?>("--trace")
        {
            Description = "Write every relayed message with direction and timestamp to FILE as NDJSON (mode 0600)",
            HelpName = "FILE",
        };
        var forkBeforeCompact = new Option<string?>("--fork-before-compact")
        {
            Description = "Fork a session automatically once its context fill reaches PERCENT, before auto-compact flattens it; 'off' (or 0) turns it off (setting Fork:BeforeCompactPercent; default 85)",
            HelpName = "PERCENT|off",
        };
        var otlp = new Option<bool>("--otlp")
        {
            Description = "Export compactions, forks, restarts and metrics with OpenTelemetry over OTLP, as the OTEL_EXPORTER_OTLP_* variables say (setting Telemetry:Enabled; also on when OTEL_EXPORTER_OTLP_ENDPOINT is set)",
        };
        var agentCommand = new Argument<string[]>("agent-command")
        {
            Description = "The agent to run instead of the pinned Claude agent, after '--': acphost run -- node my-agent.js",
            Arity = ArgumentArity.ZeroOrMore,
        };
        command.Options.Add(trace);
        command.Options.Add(forkBeforeCompact);
        command.Options.Add(otlp);
        command.Arguments.Add(agentCommand);
        command.SetAction(async (parse, _) =>
        {
            Dictionary<string, string?> overrides;
            try
            {
                overrides = common.ToOverrides(parse);
            }
            catch (FormatException ex)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync(ex.Message).ConfigureAwait(false);
                return ExitStatus.StartupFailed;
            }

            if (parse.GetValue(trace) is { Length: > 0 } tracePath)
            {
                overrides["Trace"] = Path.GetFullPath(tracePath);
            }

            if (parse.GetValue(forkBeforeCompact) is { } mark)
            {
                if (ForkMark(mark) is not { } percent)
                {
                    await parse.InvocationConfiguration.Error.WriteLineAsync($"--fork-before-compact takes a percentage of the context window (such as 85) or 'off', not '{mark}'").ConfigureAwait(false);
                    return ExitStatus.StartupFailed;
                }

                overrides["Fork:BeforeCompactPercent"] = percent;
            }

            if (parse.GetValue(otlp))
            {
                overrides["Telemetry:Enabled"] = "true";
            }

            string[] agent = parse.GetValue(agentCommand) ?? [];
            if (agent.Length > 0)
            {
                overrides["Agent:Command"] = agent[0];
                for (int i = 1; i < agent.Length; i++)
                {
                    overrides[$"Agent:Args:{i - 1}"] = agent[i];
                }
            }

            return await RelayHost.RunAsync(overrides).ConfigureAwait(false);
        });
    }

    /// <summary><c>off</c> as <c>0</c>, a percentage as it reads; null for anything else.</summary>
    private static string? ForkMark(string value)
    {
        if (string.Equals(value.Trim(), "off", StringComparison.OrdinalIgnoreCase))
        {
            return "0";
        }

        return double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double percent) && double.IsFinite(percent)
            ? percent.ToString(System.Globalization.CultureInfo.InvariantCulture)
            : null;
    }
}
