using System.CommandLine;
using System.CommandLine.Invocation;
using System.Reflection;
using System.Runtime.Intrinsics;

namespace AcpHost.Cli;

/// <summary>
/// What <c>acphost --version</c> prints: the version, which build this is (<c>native</c>, <c>ReadyToRun</c>, or
/// <c>JIT</c> for a plain build) and the widest vectors its code uses. The last tells whether a native build was
/// compiled for this machine's instruction set: built for the x64 baseline, the classifier's 256-bit string scan
/// falls back to a byte loop.
/// </summary>
internal sealed class BuildInfo : SynchronousCommandLineAction
{
    /// <summary>The build named at compile time (<c>AcpHostBuild</c> in the project file).</summary>
    public static string Build { get; } = typeof(BuildInfo).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .FirstOrDefault(a => a.Key == "AcpHostBuild")?.Value ?? "JIT";

    /// <summary>One line: <c>1.0.0+abc… (native, 256-bit vectors)</c>.</summary>
    public static string Describe()
    {
        string version = typeof(BuildInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
        string vectors = Vector256.IsHardwareAccelerated ? "256-bit vectors" : Vector128.IsHardwareAccelerated ? "128-bit vectors" : "no vectors";
        return $"{version} ({Build}, {vectors})";
    }

    /// <summary>Makes the root command's <c>--version</c> print <see cref="Describe"/>.</summary>
    public static void Attach(RootCommand root)
    {
        foreach (Option option in root.Options)
        {
            if (option is VersionOption version)
            {
                version.Action = new BuildInfo();
            }
        }
    }

    /// <inheritdoc/>
    public override int Invoke(ParseResult parseResult)
    {
        CliOutput.Line(parseResult, Describe());
        return 0;
    }
}
