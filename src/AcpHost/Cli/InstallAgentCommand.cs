using System.CommandLine;
using AcpHost.Agent;
using AcpHost.Hosting;
using AcpHost.Settings;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serilog.Extensions.Logging;

namespace AcpHost.Cli;

/// <summary>
/// <c>acphost install-agent</c>: installs the pinned agent ahead of time (what <c>run</c> does on first use) and
/// prints the path of its entry script. Progress goes to stderr.
/// </summary>
internal static class InstallAgentCommand
{
    public static Command Create(CommonOptions common)
    {
        var command = new Command("install-agent", "Install the pinned Claude agent with npm into the data directory (run does this on first use), and print its entry script");
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                IConfigurationRoot configuration = HostConfiguration.Build(common.ToOverrides(parse));
                var settings = new HostSettings { DataDir = DataDirectory.Resolve(configuration["DataDir"]) };
                AgentOptions agent = AgentOptions.From(configuration).Checked();

                Directory.CreateDirectory(settings.DataDir);
                using Serilog.Core.Logger serilog = SerilogSetup.Create(configuration, settings.DataDir);
                using var loggerFactory = new SerilogLoggerFactory(serilog);
                var installer = new AgentInstaller(Options.Create(agent), Options.Create(settings), loggerFactory.CreateLogger<AgentInstaller>());
                CliOutput.Line(parse, await installer.EnsureInstalledAsync(cancellationToken).ConfigureAwait(false));
                return ExitStatus.Success;
            }
            catch (Exception ex) when (ex is AgentInstallException or FormatException or InvalidOperationException or OptionsValidationException)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync("acphost: " + ex.Message).ConfigureAwait(false);
                return ExitStatus.StartupFailed;
            }
        });
        return command;
    }
}
