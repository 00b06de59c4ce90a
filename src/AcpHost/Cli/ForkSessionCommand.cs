using System.CommandLine;
using System.Globalization;
using System.Net.Sockets;
using AcpHost.Control;
using AcpHost.Hosting;

namespace AcpHost.Cli;

/// <summary>
/// <c>acphost fork SESSION_ID</c>: asks the running host that relays the session to fork it (<c>session/fork</c> on its
/// control socket), as if the editor had, and prints the new session's id. Exit 2 when no live host relays the
/// session, 1 when the host or the agent could not fork it.
/// </summary>
internal static class ForkSessionCommand
{
    // The host was found but the fork failed (the agent refused, the host went away): not a bad command line.
    private const int ForkFailed = 1;

    /// <param name="common">The shared options.</param>
    /// <param name="environment">Where to read <c>XDG_RUNTIME_DIR</c> and the data directory's variables (the process environment when null).</param>
    public static Command Create(CommonOptions common, Func<string, string?>? environment = null)
    {
        var sessionId = new Argument<string>("session-id") { Description = "The live session to fork (see 'acphost ps')" };
        var messageId = new Option<string?>("--message-id")
        {
            Description = "Fork at this agent message (its agent_message_chunk messageId) instead of at the end",
            HelpName = "ID",
        };
        var json = new Option<bool>("--json") { Description = "Print {\"sessionId\": NEW, \"parentSessionId\": SESSION_ID} instead of the bare new id" };
        var command = new Command("fork", "Fork a live session through the running host that relays it; prints the new session id");
        command.Arguments.Add(sessionId);
        command.Options.Add(messageId);
        command.Options.Add(json);
        command.SetAction(async (parse, cancellationToken) =>
        {
            TextWriter error = parse.InvocationConfiguration.Error;
            if (await common.TryResolveDataDirAsync(parse, environment).ConfigureAwait(false) is not { } dataDir)
            {
                return ExitStatus.StartupFailed;
            }

            string parent = parse.GetValue(sessionId)!;
            IReadOnlyList<(string SocketPath, HostStatus Status)> hosts = await ControlClient.DiscoverAsync(dataDir, environment, reason => error.WriteLine(TerminalText.Escape("acphost: " + reason)), cancellationToken).ConfigureAwait(false);

            // A session is relayed by one host; should two have loaded it, the one started first is asked.
            (string SocketPath, HostStatus Status)? relay = hosts
                .Where(host => host.Status.Sessions.Any(session => string.Equals(session.SessionId, parent, StringComparison.Ordinal)))
                .Cast<(string, HostStatus)?>()
                .FirstOrDefault();
            if (relay is not { } host)
            {
                await error.WriteLineAsync(NotRelayed(parent, hosts.Count)).ConfigureAwait(false);
                return ExitStatus.StartupFailed;
            }

            ControlForkResult result;
            try
            {
                ControlClient client = await ControlClient.ConnectAsync(host.SocketPath, cancellationToken: cancellationToken).ConfigureAwait(false);
                await using (client.ConfigureAwait(false))
                {
                    result = await client.ForkAsync(parent, parse.GetValue(messageId), cancellationToken).ConfigureAwait(false);
                }
            }
            catch (ControlErrorException ex) when (IsNotRelayed(ex))
            {
                // The session closed between the status and the fork.
                await error.WriteLineAsync(NotRelayed(parent, hosts.Count)).ConfigureAwait(false);
                return ExitStatus.StartupFailed;
            }
            catch (ControlErrorException ex)
            {
                // The agent's refusal as it is (a session never prompted answers -32002 "Resource not found").
                await error.WriteLineAsync(TerminalText.Escape(string.Create(CultureInfo.InvariantCulture, $"acphost: the fork of {parent} failed: {ex.Message} (error {ex.Code})"))).ConfigureAwait(false);
                return ForkFailed;
            }
            catch (Exception ex) when (ex is IOException or SocketException or TimeoutException or InvalidDataException)
            {
                await error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"acphost: the host (pid {host.Status.Pid}) did not fork {parent}: {ex.Message}")).ConfigureAwait(false);
                return ForkFailed;
            }

            CliOutput.Line(parse, parse.GetValue(json)
                ? JsonSerializer.Serialize(result, ControlJsonContext.Default.ControlForkResult)
                : result.SessionId);
            return ExitStatus.Success;
        });
        return command;
    }

    // Only the host's own -32002 says it does not relay the session: the agent uses the same code for its refusals.
    private static bool IsNotRelayed(ControlErrorException ex) =>
        ex.Code == ControlErrorCodes.SessionNotFound
        && ex.ErrorData is { ValueKind: JsonValueKind.Object } data
        && data.TryGetProperty("reason", out JsonElement reason) && reason.ValueKind == JsonValueKind.String
        && reason.GetString() == SessionErrorData.NotRelayed;

    private static string NotRelayed(string sessionId, int hosts) => string.Create(
        CultureInfo.InvariantCulture,
        $"acphost: no running AcpHost relays session {sessionId} ({hosts} running host{(hosts == 1 ? "" : "s")} found; 'acphost ps' lists their sessions)");
}
