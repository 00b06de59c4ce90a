using System.Text;
using AcpHost.Relay.Platform;
using Serilog.Sinks.File;

namespace AcpHost.Hosting;

/// <summary>
/// Makes every file a File sink from the <c>Serilog</c> section opens readable by its owner alone (0600): at trace
/// level such a file holds prompts, as the host's own log does.
/// </summary>
internal sealed class OwnerOnlyFileHooks : FileLifecycleHooks
{
    public static OwnerOnlyFileHooks Instance { get; } = new();

    /// <inheritdoc/>
    public override Stream OnFileOpened(string path, Stream underlyingStream, Encoding encoding)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, OwnFiles.PrivateFile);
        }

        return underlyingStream;
    }
}
