using System.CommandLine;

namespace AcpHost.Cli;

/// <summary>The command line: <c>acphost [run]</c> and the helper commands.</summary>
internal static class AcpHostCommandLine
{
    public static RootCommand Create()
    {
        var common = new CommonOptions();
        var root = new RootCommand(
            "AcpHost runs an ACP agent (by default the Claude agent) for an editor, relaying every message and recording " +
            "what the editor does not show. Without a command it runs the relay ('run').");
        common.AddTo(root);
        RunCommand.Configure(root, common);
        root.Subcommands.Add(RunCommand.Create(common));
        root.Subcommands.Add(InstallAgentCommand.Create(common));
        return root;
    }

    public static Task<int> InvokeAsync(string[] args)
    {
        // The generic host owns SIGINT/SIGTERM for run; System.CommandLine must not install a second handler.
        var invocation = new InvocationConfiguration { ProcessTerminationTimeout = null };
        return Create().Parse(args).InvokeAsync(invocation);
    }
}
