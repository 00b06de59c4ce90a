using System.CommandLine;
using AcpHost.Cli;

namespace AcpHost.Tests.Support;

/// <summary>Runs an <c>acphost</c> command line in this process, with stdout and stderr captured.</summary>
internal static class InProcessCli
{
    /// <param name="arguments">The command line, without the program name.</param>
    /// <param name="environment">The environment the command sees; null for the process's own.</param>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string[] arguments, Func<string, string?>? environment = null)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int exitCode = await AcpHostCommandLine.Create(environment)
            .Parse(arguments)
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exitCode, output.ToString(), error.ToString());
    }
}
