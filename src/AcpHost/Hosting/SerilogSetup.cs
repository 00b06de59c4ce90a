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

        // At trace level the log holds prompt text: the folder is the user's own and 0700, today's file 0600 and not
        // a symlink. Serilog creates later days' files itself (its shared mode takes no hooks): inside a 0700 folder
        // no other user can reach them either way.
        string? refused = PrepareLogFolder(dataDir);
        logger
            .MinimumLevel.Is(level)
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .Enrich.FromLogContext()
            .Enrich.WithProperty("ProcessId", Environment.ProcessId)
            .WriteTo.Console(standardErrorFromLevel: LogEventLevel.Verbose, outputTemplate: ConsoleTemplate, theme: Theme(), formatProvider: System.Globalization.CultureInfo.InvariantCulture);
        if (refused is null)
        {
            logger.WriteTo.File(
                Path.Combine(DataDirectory.Logs(dataDir), "acphost-.log"),
                outputTemplate: FileTemplate,
                rollingInterval: RollingInterval.Day,
                retainedFileCountLimit: retained,
                shared: true,
                formatProvider: System.Globalization.CultureInfo.InvariantCulture);
        }

        Serilog.Core.Logger created = logger.CreateLogger();
        if (refused is not null)
        {
            created.Warning("Not writing a log file: {Reason}", refused);
        }

        return created;
    }

    /// <summary>Makes the logs folder private and today's log file 0600; the reason when the folder cannot be used.</summary>
    private static string? PrepareLogFolder(string dataDir)
    {
        string folder = DataDirectory.Logs(dataDir);
        try
        {
            Relay.Platform.OwnFiles.EnsurePrivateFolder(folder);

            // The name Serilog's daily rolling gives today's file (local date, as Serilog uses).
            string today = Path.Combine(folder, "acphost-" + DateTime.Now.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture) + ".log");
            using (Relay.Platform.OwnFiles.OpenNoFollow(today, FileAccess.Write, append: true))
            {
            }

            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return ex.Message;
        }
    }

    // Colours help a person at a terminal; an editor capturing stderr would only see escape codes.
    private static ConsoleTheme Theme() => Console.IsErrorRedirected ? ConsoleTheme.None : AnsiConsoleTheme.Code;
}
