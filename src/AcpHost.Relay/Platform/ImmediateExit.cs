using System.Runtime.InteropServices;

namespace AcpHost.Relay.Platform;

/// <summary>
/// Ends the process at once with <c>_exit(2)</c>: no exit handlers, no waiting for anything. The last resort of a
/// process that promised to be gone by a deadline: the runtime's own exit runs handlers (the generic host's among
/// them) that wait for the very work that overran.
/// </summary>
public static partial class ImmediateExit
{
    /// <summary>Exits with <paramref name="code"/>; where <c>_exit</c> is not there (Windows), through the runtime.</summary>
    public static void Now(int code)
    {
        if (OperatingSystem.IsWindows())
        {
            Environment.Exit(code);
        }

        Exit(code);
    }

    [LibraryImport("libc", EntryPoint = "_exit")]
    private static partial void Exit(int status);
}
