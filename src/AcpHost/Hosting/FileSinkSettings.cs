using Serilog;
using Serilog.Events;

namespace AcpHost.Hosting;

/// <summary>
/// A <c>Serilog:WriteTo</c> entry named <c>File</c>: the arguments of Serilog's File sink the host passes on, with
/// that sink's own defaults. A relative <see cref="Path"/> is under the data directory, not the editor's working folder.
/// </summary>
internal sealed record FileSinkSettings(string Path)
{
    /// <summary><c>outputTemplate</c>, or null for the host's file template.</summary>
    public string? OutputTemplate { get; init; }

    /// <summary><c>restrictedToMinimumLevel</c>.</summary>
    public LogEventLevel RestrictedToMinimumLevel { get; init; } = LogEventLevel.Verbose;

    /// <summary><c>rollingInterval</c>.</summary>
    public RollingInterval RollingInterval { get; init; } = RollingInterval.Infinite;

    /// <summary><c>retainedFileCountLimit</c>; null keeps every file.</summary>
    public int? RetainedFileCountLimit { get; init; } = 31;

    /// <summary><c>retainedFileTimeLimit</c>; null for no age limit.</summary>
    public TimeSpan? RetainedFileTimeLimit { get; init; }

    /// <summary><c>fileSizeLimitBytes</c>; null for no limit.</summary>
    public long? FileSizeLimitBytes { get; init; } = 1L * 1024 * 1024 * 1024;

    /// <summary><c>rollOnFileSizeLimit</c>.</summary>
    public bool RollOnFileSizeLimit { get; init; }

    /// <summary><c>shared</c>: several processes may write the file (then it gets the umask's mode, see docs/logging.md).</summary>
    public bool Shared { get; init; }

    /// <summary><c>buffered</c>.</summary>
    public bool Buffered { get; init; }

    /// <summary><c>flushToDiskInterval</c>; null flushes as Serilog does by default.</summary>
    public TimeSpan? FlushToDiskInterval { get; init; }
}
