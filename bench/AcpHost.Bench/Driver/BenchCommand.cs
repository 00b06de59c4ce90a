namespace AcpHost.Bench.Driver;

/// <summary>Finds the command that starts this executable again, for the fake agent and the bare pipe.</summary>
internal static class BenchCommand
{
    /// <summary>The native launcher next to the assembly when there is one, otherwise <c>dotnet acphost-bench.dll</c>.</summary>
    public static IReadOnlyList<string> Resolve()
    {
        string directory = AppContext.BaseDirectory;
        string launcher = Path.Combine(directory, OperatingSystem.IsWindows() ? "acphost-bench.exe" : "acphost-bench");
        if (File.Exists(launcher))
        {
            return [launcher];
        }

        // Started through the muxer (dotnet acphost-bench.dll): start the children the same way.
        string host = Environment.ProcessPath ?? "dotnet";
        return [host, Path.Combine(directory, "acphost-bench.dll")];
    }
}
