using System.Text;
using AcpHost.Acp;
using AcpHost.Relay.Relay;
using AcpHost.State;
using Microsoft.Extensions.Logging;

namespace AcpHost.Features.Recovery;

/// <summary>
/// Gives a reopened session back the client's choices: each of <see cref="ClientChoices"/> sent again, in the order
/// the client made them. A restarted agent starts from its defaults (with 0.101.0, mode <c>auto</c>), so without this
/// a crash could silently widen what the agent may do. A choice the agent refuses now is logged at Warning, and the
/// client is told the agent's actual state the way the agent itself tells it (<c>current_mode_update</c>,
/// <c>config_option_update</c>; ACP v2 has no modes, its mode is a config option), so the editor never shows a choice
/// that no longer holds.
/// </summary>
internal sealed partial class ChoiceReplay(ClientChoices choices, ILogger<ChoiceReplay> log, ClientProfile? profile = null)
{
    /// <summary>
    /// Replays the choices for <paramref name="sessionId"/>; <paramref name="reopened"/> is the agent's answer to the
    /// <c>session/resume</c> or <c>session/load</c> that took it back (its modes and config options are the state to
    /// tell when a choice does not hold). Returns how many choices could not be restored.
    /// </summary>
    public async Task<int> ReplayAsync(IRelayOutlet relay, string sessionId, JsonElement? reopened, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(relay);
        IReadOnlyList<ClientChoice> made = choices.For(sessionId);
        if (made.Count == 0)
        {
            return 0;
        }

        var state = new AgentSessionState(reopened);
        int failed = 0;
        foreach (ClientChoice choice in made)
        {
            AgentResponse response = await relay.RequestAgentAsync(choice.Method, choice.Params, cancellationToken).ConfigureAwait(false);
            if (response.IsSuccess)
            {
                state.Accepted(choice, response.Result);
            }
            else
            {
                failed++;
                ChoiceNotRestored(log, sessionId, choice.Method, Encoding.UTF8.GetString(choice.Params.Span), response.Error?.GetRawText() ?? "");
            }
        }

        if (failed > 0)
        {
            await TellStateAsync(relay, sessionId, state, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            ChoicesRestored(log, sessionId, made.Count);
        }

        return failed;
    }

    /// <summary>Replays the client's <c>authenticate</c>, if it sent one; false when the agent refused it.</summary>
    public async Task<bool> AuthenticateAsync(IRelayOutlet relay, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(relay);
        if (choices.Authenticate is not { } parameters)
        {
            return true;
        }

        AgentResponse response = await relay.RequestAgentAsync(AcpMethods.Authenticate, parameters, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccess)
        {
            AuthenticateNotRestored(log, response.Error?.GetRawText() ?? "");
        }

        return response.IsSuccess;
    }

    private async Task TellStateAsync(IRelayOutlet relay, string sessionId, AgentSessionState state, CancellationToken cancellationToken)
    {
        if (state.CurrentModeId is { } mode && profile?.IsV2 != true)
        {
            await relay.NotifyClientAsync(AcpMethods.SessionUpdate, SessionUpdates.Params(sessionId, writer =>
            {
                writer.WriteString("sessionUpdate"u8, "current_mode_update");
                writer.WriteString("currentModeId"u8, mode);
            }), cancellationToken).ConfigureAwait(false);
        }

        if (state.ConfigOptions is { } options)
        {
            await relay.NotifyClientAsync(AcpMethods.SessionUpdate, SessionUpdates.Params(sessionId, writer =>
            {
                writer.WriteString("sessionUpdate"u8, "config_option_update");
                writer.WritePropertyName("configOptions"u8);
                options.WriteTo(writer);
            }), cancellationToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 602, Level = LogLevel.Warning, Message = "The restarted agent refused the client's earlier {Method} for session {SessionId} ({Params}): {Error}; the client is told the agent's actual state")]
    private static partial void ChoiceNotRestored(ILogger logger, string sessionId, string method, string @params, string error);

    [LoggerMessage(EventId = 603, Level = LogLevel.Information, Message = "Session {SessionId}: the client's {Count} choice(s) restored")]
    private static partial void ChoicesRestored(ILogger logger, string sessionId, int count);

    [LoggerMessage(EventId = 604, Level = LogLevel.Warning, Message = "The restarted agent refused the client's earlier authenticate: {Error}")]
    private static partial void AuthenticateNotRestored(ILogger logger, string error);
}
