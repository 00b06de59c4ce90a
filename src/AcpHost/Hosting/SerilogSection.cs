using Serilog.Events;

namespace AcpHost.Hosting;

/// <summary>
/// What the host reads of an optional <c>Serilog</c> configuration section (docs/logging.md): the default level,
/// per-source overrides, the stderr sink's format and level, extra File sinks, and properties added to every event.
/// Read by <see cref="SerilogSectionReader"/> into plain values, with no reflection, so it works alike in every build.
/// </summary>
/// <param name="DefaultLevel"><c>MinimumLevel</c> or <c>MinimumLevel:Default</c>; <c>Logging:Level</c> wins over it.</param>
/// <param name="Overrides"><c>MinimumLevel:Override</c>: a level per source-context prefix.</param>
/// <param name="Console">A <c>WriteTo</c> entry named <c>Console</c>: how the host's stderr sink writes.</param>
/// <param name="Files"><c>WriteTo</c> entries named <c>File</c>: files written beside the host's own log.</param>
/// <param name="Properties"><c>Properties</c>: name and value added to every event.</param>
/// <param name="NotRead">Keys present that the host does not read, each with why; logged as a warning once the logger exists.</param>
internal sealed record SerilogSection(
    LogEventLevel? DefaultLevel,
    IReadOnlyDictionary<string, LogEventLevel> Overrides,
    ConsoleSinkSettings? Console,
    IReadOnlyList<FileSinkSettings> Files,
    IReadOnlyDictionary<string, string> Properties,
    IReadOnlyList<string> NotRead)
{
    /// <summary>No section: nothing read, nothing to warn about.</summary>
    public static SerilogSection None { get; } = new(null, new Dictionary<string, LogEventLevel>(), null, [], new Dictionary<string, string>(), []);
}
