using AcpHost.Agent;
using AcpHost.Relay.Relay;
using AcpHost.Relay.Transport;
using AcpHost.State;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AcpHost.Hosting;

/// <summary>
/// Starts the agent, runs the relay until it ends, records the exit code, and stops the application. Building the
/// relay is <see cref="RelayFactory"/>'s job; everything of substance lives in the relay and the features.
/// </summary>
internal sealed partial class RelayService(
    StdioStreams stdio,
    AgentStartup startup,
    RelayFactory relays,
    ExitStatus exitStatus,
    ILogger<RelayService> log,
    IHostApplicationLifetime lifetime) : BackgroundService
{
    private static readonly TimeSpan StartupFailureWindow = TimeSpan.FromSeconds(3);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            exitStatus.Code = await RunRelayAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is AgentInstallException or AgentStartException)
        {
            AgentUnavailable(log, ex.Message);
            exitStatus.Code = ExitStatus.StartupFailed;
            await new StartupFailureResponder(stdio.Input, stdio.Output, "AcpHost could not start the agent: " + ex.Message)
                .RespondAsync(StartupFailureWindow).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopped while installing or starting: nothing was relayed, nothing is owed.
        }
        catch (Exception ex)
        {
            HostFailed(log, ex);
            exitStatus.Code = 1;
        }
        finally
        {
            lifetime.StopApplication();
        }
    }

    private async Task<int> RunRelayAsync(CancellationToken stoppingToken)
    {
        // The relay owns the agent from here, and any agent a restart brings.
        AgentProcess agent = await startup.TakeAsync(stoppingToken).ConfigureAwait(false);

        using MessageTrace? trace = relays.OpenTrace();
        JsonRpcRelay relay = relays.Create(agent, trace);
        RelayOutcome outcome = await relay.RunAsync(stoppingToken).ConfigureAwait(false);
        RelayEnded(log, outcome.End, outcome.AgentExit.ExitCode, outcome.UnansweredRequests, outcome.ExitCode);
        return outcome.ExitCode;
    }

    [LoggerMessage(EventId = 800, Level = LogLevel.Information, Message = "Relay ended ({End}); agent exit code {AgentExitCode}, {Unanswered} request(s) answered with errors; host exit code {ExitCode}")]
    private static partial void RelayEnded(ILogger logger, RelayEnd end, int agentExitCode, int unanswered, int exitCode);

    [LoggerMessage(EventId = 801, Level = LogLevel.Critical, Message = "{Reason}")]
    private static partial void AgentUnavailable(ILogger logger, string reason);

    [LoggerMessage(EventId = 802, Level = LogLevel.Critical, Message = "The host failed")]
    private static partial void HostFailed(ILogger logger, Exception exception);
}
