using Serilog.Events;

namespace AcpHost.Hosting;

/// <summary>Reads a log level the way people write it: Serilog's names and Microsoft.Extensions.Logging's alike.</summary>
internal static class LogLevels
{
    /// <summary>The names accepted, for help text and errors.</summary>
    public const string Accepted = "verbose|trace, debug, information|info, warning|warn, error, fatal|critical";

    /// <summary>Parses a level name; false when it is not one of <see cref="Accepted"/>.</summary>
    public static bool TryParse(string? text, out LogEventLevel level)
    {
        level = LogEventLevel.Information;
        switch (text?.Trim().ToLowerInvariant())
        {
            case "verbose" or "trace":
                level = LogEventLevel.Verbose;
                return true;
            case "debug":
                level = LogEventLevel.Debug;
                return true;
            case "information" or "info":
                level = LogEventLevel.Information;
                return true;
            case "warning" or "warn":
                level = LogEventLevel.Warning;
                return true;
            case "error":
                level = LogEventLevel.Error;
                return true;
            case "fatal" or "critical":
                level = LogEventLevel.Fatal;
                return true;
            default:
                return false;
        }
    }
}
