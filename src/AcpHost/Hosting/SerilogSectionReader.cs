using Microsoft.Extensions.Configuration;
using Serilog;
using Serilog.Events;

namespace AcpHost.Hosting;

/// <summary>
/// Reads the <c>Serilog</c> section into a <see cref="SerilogSection"/>, key by key (docs/logging.md lists them). It
/// replaces Serilog.Settings.Configuration, which finds sinks and builds their arguments by reflection: under NativeAOT
/// that finds nothing and cannot be compiled without warnings. A value of a key read here that cannot be used is an
/// error (the host does not start, as with any bad setting); a key not read here is reported, never silently dropped.
/// </summary>
internal static class SerilogSectionReader
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Serilog";

    /// <summary>The section of <paramref name="configuration"/>, read; <see cref="SerilogSection.None"/> when absent.</summary>
    /// <exception cref="InvalidOperationException">A key read here has a value that is not what it must be.</exception>
    public static SerilogSection Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        IConfigurationSection section = configuration.GetSection(SectionName);
        if (!section.Exists())
        {
            return SerilogSection.None;
        }

        LogEventLevel? level = null;
        var overrides = new Dictionary<string, LogEventLevel>(StringComparer.Ordinal);
        ConsoleSinkSettings? console = null;
        var files = new List<FileSinkSettings>();
        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        var notRead = new List<string>();
        foreach (IConfigurationSection child in section.GetChildren())
        {
            switch (child.Key.ToUpperInvariant())
            {
                case "MINIMUMLEVEL":
                    level = ReadLevels(child, overrides, notRead) ?? level;
                    break;
                case "WRITETO":
                    foreach (IConfigurationSection entry in child.GetChildren())
                    {
                        ReadSink(entry, ref console, files, notRead);
                    }

                    break;
                case "PROPERTIES":
                    foreach (IConfigurationSection property in child.GetChildren())
                    {
                        properties[property.Key] = property.Value ?? "";
                    }

                    break;
                case "USING":
                    // Names the assemblies Serilog.Settings.Configuration would search for sinks; the two sinks read
                    // here are part of the host, and any other sink is reported where WriteTo names it.
                    break;
                case "ENRICH":
                    foreach (IConfigurationSection enricher in child.GetChildren())
                    {
                        // FromLogContext is always on; other enrichers need their own packages.
                        if (!string.Equals(NameOf(enricher), "FromLogContext", StringComparison.OrdinalIgnoreCase))
                        {
                            notRead.Add($"{enricher.Path} ({NameOf(enricher)}): only FromLogContext, which is always on");
                        }
                    }

                    break;
                default:
                    notRead.Add($"{child.Path}: not read (this host reads MinimumLevel, WriteTo File and Console, Properties)");
                    break;
            }
        }

        return new SerilogSection(level, overrides, console, files, properties, notRead);
    }

    private static LogEventLevel? ReadLevels(IConfigurationSection minimumLevel, Dictionary<string, LogEventLevel> overrides, List<string> notRead)
    {
        if (minimumLevel.Value is { Length: > 0 } plain)
        {
            return SinkArgs.ParseLevel(minimumLevel.Path, plain);
        }

        LogEventLevel? level = null;
        foreach (IConfigurationSection child in minimumLevel.GetChildren())
        {
            switch (child.Key.ToUpperInvariant())
            {
                case "DEFAULT":
                    level = SinkArgs.ParseLevel(child.Path, child.Value);
                    break;
                case "OVERRIDE":
                    foreach (IConfigurationSection source in child.GetChildren())
                    {
                        overrides[source.Key] = SinkArgs.ParseLevel(source.Path, source.Value);
                    }

                    break;
                default:
                    notRead.Add($"{child.Path}: not read (MinimumLevel takes Default and Override)");
                    break;
            }
        }

        return level;
    }

    private static void ReadSink(IConfigurationSection entry, ref ConsoleSinkSettings? console, List<FileSinkSettings> files, List<string> notRead)
    {
        string name = NameOf(entry);
        var args = new SinkArgs(entry.GetSection("Args"));
        switch (name.ToUpperInvariant())
        {
            case "FILE":
                files.Add(new FileSinkSettings(args.String("path") ?? throw new InvalidOperationException($"{entry.Path}: a File sink needs Args:path"))
                {
                    OutputTemplate = args.String("outputTemplate"),
                    RestrictedToMinimumLevel = args.Level("restrictedToMinimumLevel") ?? LogEventLevel.Verbose,
                    RollingInterval = args.Enum("rollingInterval", RollingInterval.Infinite),
                    RetainedFileCountLimit = args.Int("retainedFileCountLimit", 31),
                    RetainedFileTimeLimit = args.TimeSpan("retainedFileTimeLimit"),
                    FileSizeLimitBytes = args.Long("fileSizeLimitBytes", 1L * 1024 * 1024 * 1024),
                    RollOnFileSizeLimit = args.Bool("rollOnFileSizeLimit"),
                    Shared = args.Bool("shared"),
                    Buffered = args.Bool("buffered"),
                    FlushToDiskInterval = args.TimeSpan("flushToDiskInterval"),
                });
                break;
            case "CONSOLE":
                console = new ConsoleSinkSettings(args.String("outputTemplate"), args.Level("restrictedToMinimumLevel") ?? LogEventLevel.Verbose);
                break;
            default:
                notRead.Add($"{entry.Path} ({name}): not read (this host writes to stderr, its log file and File sinks only)");
                return;
        }

        notRead.AddRange(args.Unread().Select(key => $"{key}: not an argument this host passes to the {name} sink"));
    }

    // An entry is either a bare name ("Console") or an object with Name (and Args).
    private static string NameOf(IConfigurationSection entry) => entry.Value ?? entry["Name"] ?? "";
}
