using AcpHost.Settings;
using Microsoft.Extensions.Configuration;
using Serilog;
using Serilog.Events;
using Serilog.Sinks.SystemConsole.Themes;

namespace AcpHost.Hosting;

/// <summary>
/// Builds the Serilog pipeline: always stderr (never stdout, which carries the protocol) and a rolling file under
/// <c>&lt;data-dir&gt;/logs/</c>; a <c>Serilog</c> configuration section may set levels and overrides, the stderr format,
/// extra File sinks and properties (<see cref="SerilogSectionReader"/>).
/// </summary>
internal static class SerilogSetup
{
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
        SerilogSection section = SerilogSectionReader.Read(configuration);
        LogEventLevel level = section.DefaultLevel ?? LogEventLevel.Information;
        if (configuration["Logging:Level"] is { } named && !LogLevels.TryParse(named, out level))
        {
            throw new InvalidOperationException($"Logging:Level '{named}' is not a level ({LogLevels.Accepted})");
        }

        int retained = int.TryParse(configuration["Logging:RetainedFileCount"], out int count) && count > 0 ? count : 14;

        // At trace level the log holds prompt text: the folder is the user's own and 0700, today's file 0600 and not
        // a symlink. Serilog creates later days' files itself (its shared mode takes no hooks): inside a 0700 folder
        // no other user can reach them either way.
        string? refused = PrepareLogFolder(dataDir);
        var logger = new LoggerConfiguration()
            .MinimumLevel.Is(level)
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .Enrich.FromLogContext()
            .Enrich.WithProperty("ProcessId", Environment.ProcessId);
        foreach ((string source, LogEventLevel overridden) in section.Overrides)
        {
            logger.MinimumLevel.Override(source, overridden);
        }

        foreach ((string name, string value) in section.Properties)
        {
            logger.Enrich.WithProperty(name, value);
        }

        logger.WriteTo.Console(
            restrictedToMinimumLevel: section.Console?.RestrictedToMinimumLevel ?? LogEventLevel.Verbose,
            standardErrorFromLevel: LogEventLevel.Verbose,
            outputTemplate: section.Console?.OutputTemplate ?? ConsoleTemplate,
            theme: Theme(),
            formatProvider: System.Globalization.CultureInfo.InvariantCulture);
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

        foreach (FileSinkSettings file in section.Files)
        {
            AddFile(logger, file, dataDir);
        }

        Serilog.Core.Logger created = logger.CreateLogger();
        if (refused is not null)
        {
            created.Warning("Not writing a log file: {Reason}", refused);
        }

        foreach (string key in section.NotRead)
        {
            created.ForContext(Serilog.Core.Constants.SourceContextPropertyName, typeof(SerilogSetup).FullName)
                .Warning("Serilog section: {Key} (docs/logging.md says what is read)", key);
        }

        return created;
    }

    private static void AddFile(LoggerConfiguration logger, FileSinkSettings file, string dataDir) =>
        logger.WriteTo.File(
            Path.GetFullPath(file.Path, dataDir),
            restrictedToMinimumLevel: file.RestrictedToMinimumLevel,
            outputTemplate: file.OutputTemplate ?? FileTemplate,
            formatProvider: System.Globalization.CultureInfo.InvariantCulture,
            fileSizeLimitBytes: file.FileSizeLimitBytes,
            buffered: file.Buffered,
            shared: file.Shared,
            flushToDiskInterval: file.FlushToDiskInterval,
            rollingInterval: file.RollingInterval,
            rollOnFileSizeLimit: file.RollOnFileSizeLimit,
            retainedFileCountLimit: file.RetainedFileCountLimit,
            // Each file it opens becomes 0600, as the host's own log (Serilog takes no hooks for shared files).
            hooks: file.Shared ? null : OwnerOnlyFileHooks.Instance,
            retainedFileTimeLimit: file.RetainedFileTimeLimit);

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
