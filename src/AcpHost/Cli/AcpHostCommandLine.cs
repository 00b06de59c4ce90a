using System.CommandLine;

namespace AcpHost.Cli;

/// <summary>The command line: <c>acphost [run]</c> and the helper commands.</summary>
internal static class AcpHostCommandLine
{
    /// <param name="environment">
    /// Where the control commands (ps, fork, watch) read <c>XDG_RUNTIME_DIR</c> and the data directory's variables: the
    /// process environment when null; tests pass their own so that a real host of the same user cannot interfere.
    /// </param>
    public static RootCommand Create(Func<string, string?>? environment = null)
    {
        var common = new CommonOptions();
        var root = new RootCommand(
            "AcpHost runs an ACP agent (by default the Claude agent) for an editor, relaying every message and recording " +
            "what the editor does not show. Without a command it runs the relay ('run').");
        common.AddTo(root);
        BuildInfo.Attach(root);
        RunCommand.Configure(root, common);
        root.Subcommands.Add(RunCommand.Create(common));
        root.Subcommands.Add(InstallAgentCommand.Create(common));
        root.Subcommands.Add(CompactionsCommand.Create(common));
        root.Subcommands.Add(SessionsCommand.Create(common));
        root.Subcommands.Add(PsCommand.Create(common, environment));
        root.Subcommands.Add(ForkSessionCommand.Create(common, environment));
        root.Subcommands.Add(WatchCommand.Create(common, environment));
        root.Subcommands.Add(ScanCommand.Create(common, environment));
        root.Subcommands.Add(UsageCommand.Create(common, environment));
        root.Subcommands.Add(ReportCommand.Create(common, environment));
        return root;
    }

    public static async Task<int> InvokeAsync(string[] args)
    {
        // The generic host owns SIGINT/SIGTERM for run; System.CommandLine must not install a second handler.
        var invocation = new InvocationConfiguration { ProcessTerminationTimeout = null };
        ParseResult parse = Create().Parse(args);
        if (parse.Errors.Count > 0)
        {
            // A usage error: say so on stderr and exit 2, as documented. Help would go to stdout, which for an editor
            // that started `acphost run` with a typo is the protocol stream.
            foreach (var error in parse.Errors)
            {
                await invocation.Error.WriteLineAsync("acphost: " + error.Message).ConfigureAwait(false);
            }

            await invocation.Error.WriteLineAsync("Run 'acphost --help' for usage.").ConfigureAwait(false);
            return Hosting.ExitStatus.StartupFailed;
        }

        return await parse.InvokeAsync(invocation).ConfigureAwait(false);
    }
}
