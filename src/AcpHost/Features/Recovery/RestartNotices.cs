using AcpHost.Acp;
using AcpHost.Relay.Relay;
using AcpHost.State;

namespace AcpHost.Features.Recovery;

/// <summary>
/// What the user is told of an agent restart, in each session they had: the turn that was running when the agent died
/// ended with an error (an ACP v2 client, whose prompt the agent had already answered, waits for the turn's
/// <c>state_update</c> <c>idle</c>, so the host sends it, with the error, as the agent's v2 surface does for a failed
/// turn), and a notice of what was resumed and what was lost.
/// </summary>
/// <param name="profile">The client's protocol version.</param>
/// <param name="notices">Where the notices go.</param>
internal sealed class RestartNotices(ClientProfile? profile, INotices? notices)
{
    /// <summary>Ends each interrupted v2 turn with <c>idle</c>, <c>stopReason: "error"</c> and the error; v1 turns got their error as the prompt's answer.</summary>
    public async Task EndInterruptedTurnsAsync(IRelayOutlet relay, IReadOnlyCollection<string> interrupted, AgentRestart restart, CancellationToken cancellationToken)
    {
        if (profile?.IsV2 != true)
        {
            return;
        }

        string message = $"The agent exited (code {restart.PreviousExit.ExitCode}) before the turn ended; AcpHost restarted it";
        foreach (string sessionId in interrupted)
        {
            await relay.NotifyClientAsync(AcpMethods.SessionUpdate, SessionUpdates.Params(sessionId, writer =>
            {
                writer.WriteString("sessionUpdate"u8, "state_update"u8);
                writer.WriteString("state"u8, "idle"u8);
                writer.WriteString("stopReason"u8, "error"u8);
                writer.WritePropertyName("error"u8);
                Relay.Protocol.JsonRpcWriter.WriteErrorObject(writer, Relay.Protocol.JsonRpcErrorCodes.InternalError, message);
            }), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Tells each session the client had what became of it and of its turn.</summary>
    public async Task TellAsync(AgentRestart restart, IReadOnlyList<string> resumed, IReadOnlyDictionary<string, string> lost, IReadOnlyCollection<string> interrupted, CancellationToken cancellationToken)
    {
        if (notices is null || !notices.IsOn(NoticeKind.AgentRestarted))
        {
            return;
        }

        string restarted = $"The agent exited (code {restart.PreviousExit.ExitCode}) and AcpHost restarted it (restart {restart.Attempt})";
        string totals = $"Sessions taken back: {resumed.Count}; lost: {lost.Count}" + (lost.Count > 0 ? $" ({string.Join(", ", lost.Keys)})." : ".");
        foreach (string sessionId in resumed.Concat(lost.Keys))
        {
            string summary = lost.TryGetValue(sessionId, out string? why)
                ? $"{restarted}, but the new agent did not take this session back: {why}."
                : $"{restarted}; this session was taken back under the same id, with its history, mode and model.";
            List<string> parts = [];
            if (interrupted.Contains(sessionId))
            {
                parts.Add("The turn that was running ended with an error: send that prompt again.");
            }

            parts.Add(totals);
            await notices.PostAsync(new HostNotice(sessionId, NoticeKind.AgentRestarted, "Agent restarted", summary) { Parts = parts }, cancellationToken).ConfigureAwait(false);
        }
    }
}
