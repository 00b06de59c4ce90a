using Microsoft.Extensions.Configuration;
using Serilog;
using Serilog.Events;
using Serilog.Settings.Configuration;
using Serilog.Sinks.SystemConsole.Themes;

namespace AcpHost.Hosting;

/// <summary>
/// Builds the Serilog pipeline: always stderr (never stdout, which carries the protocol) and a rolling file under
/// <c>&lt;data-dir&gt;/logs/</c>; a <c>Serilog</c> configuration section may add sinks, enrichers and overrides.
/// </summary>
public static class SerilogSetup
{
    private const string SectionName = "Serilog";
    private const string ConsoleTemplate = "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}";
    private const string FileTemplate = "{Timestamp:yyyy-MM-ddTHH:mm:ss.fffzzz} [{Level:u3}] ({ProcessId}) {SourceContext}: {Message:lj}{NewLine}{Exception}";

    /// <summary>A stderr-only logger for the moments before configuration is read.</summary>
    public static Serilog.Core.Logger CreateBootstrap() =>
        new LoggerConfiguration()
            .MinimumLevel.Information()
            .WriteTo.Console(standardErrorFromLevel: LogEventLevel.Verbose, outputTemplate: ConsoleTemplate, theme: Theme(), formatProvider: System.Globalization.CultureInfo.InvariantCulture)
            .CreateLogger();

    /// <summary>The host's logger, from configuration (<c>Logging:Level</c>, <c>Logging:RetainedFileCount</c>, <c>Serilog</c>).</summary>
    public static Serilog.Core.Logger Create(IConfiguration configuration, string dataDir)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (!LogLevels.TryParse(configuration["Logging:Level"] ?? "Information", out LogEventLevel level))
        {
            throw new InvalidOperationException($"Logging:Level '{configuration["Logging:Level"]}' is not a level ({LogLevels.Accepted})");
        }

        int retained = int.TryParse(configuration["Logging:RetainedFileCount"], out int count) && count > 0 ? count : 14;
        var logger = new LoggerConfiguration();
        if (configuration.GetSection(SectionName).Exists())
        {
            // Reading a Serilog section scans the application's assemblies for sinks and enrichers: tens of
            // milliseconds on the editor's start-up path, so it is paid only by those who configure something.
            logger.ReadFrom.Configuration(configuration, new ConfigurationReaderOptions { SectionName = SectionName });
        }

        return logger
            .MinimumLevel.Is(level)
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .Enrich.FromLogContext()
            .Enrich.WithProperty("ProcessId", Environment.ProcessId)
            .WriteTo.Console(standardErrorFromLevel: LogEventLevel.Verbose, outputTemplate: ConsoleTemplate, theme: Theme(), formatProvider: System.Globalization.CultureInfo.InvariantCulture)
            .WriteTo.File(
                Path.Combine(DataDirectory.Logs(dataDir), "acphost-.log"),
                outputTemplate: FileTemplate,
                rollingInterval: RollingInterval.Day,
                retainedFileCountLimit: retained,
                shared: true,
                formatProvider: System.Globalization.CultureInfo.InvariantCulture)
            .CreateLogger();
    }

    // Colours help a person at a terminal; an editor capturing stderr would only see escape codes.
    private static ConsoleTheme Theme() => Console.IsErrorRedirected ? ConsoleTheme.None : AnsiConsoleTheme.Code;
}
