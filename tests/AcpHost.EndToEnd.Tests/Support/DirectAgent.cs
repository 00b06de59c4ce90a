using System.Diagnostics;
using System.Text;

namespace AcpHost.EndToEnd.Tests.Support;

/// <summary>
/// The installed agent run directly, without the host, offline (a model URL nobody answers): the reference for what
/// the agent itself does with a line. The caller reads its output and kills it.
/// </summary>
public static class DirectAgent
{
    /// <summary>Starts <c>node &lt;entry point&gt;</c> with stdin, stdout and stderr redirected.</summary>
    public static Process Start(AgentInstall install)
    {
        ArgumentNullException.ThrowIfNull(install);
        var start = new ProcessStartInfo("node", [install.EntryPoint])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
        };
        start.Environment["IS_SANDBOX"] = "1";
        start.Environment["ANTHROPIC_API_KEY"] = "test";
        start.Environment["ANTHROPIC_BASE_URL"] = "http://127.0.0.1:9";
        return Process.Start(start)!;
    }
}
