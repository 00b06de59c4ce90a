using AcpHost.Agent;
using AcpHost.Features;
using AcpHost.Features.Recovery;
using AcpHost.Relay.Relay;
using AcpHost.Relay.Transport;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AcpHost.Hosting;

/// <summary>
/// Starts the agent, runs the relay until it ends, records the exit code, and stops the application. Everything of
/// substance lives in the relay and the features; this only wires them to the process's lifetime.
/// </summary>
internal sealed partial class RelayService(
    StdioStreams stdio,
    AgentStartup startup,
    IOptions<RestartOptions> restartOptions,
    AgentRecovery recovery,
    IEnumerable<IMessageInterceptor> interceptors,
    IOptions<RelayOptions> relayOptions,
    IOptions<HostSettings> settings,
    ILoggerFactory loggerFactory,
    ExitStatus exitStatus,
    ClientChannel clientChannel,
    RelayCounters counters,
    IHostApplicationLifetime lifetime) : BackgroundService
{
    private static readonly TimeSpan StartupFailureWindow = TimeSpan.FromSeconds(3);

    private readonly ILogger _log = loggerFactory.CreateLogger<RelayService>();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            exitStatus.Code = await RunRelayAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is AgentInstallException or AgentStartException)
        {
            AgentUnavailable(_log, ex.Message);
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
            HostFailed(_log, ex);
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

        using MessageTrace? trace = string.IsNullOrWhiteSpace(settings.Value.Trace) ? null : MessageTrace.Open(settings.Value.Trace);
        var relay = new JsonRpcRelay(
            stdio.Input,
            stdio.Output,
            agent,
            relayOptions.Value,
            interceptors,
            loggerFactory.CreateLogger<JsonRpcRelay>(),
            trace,
            restartOptions.Value.MaxRestarts > 0 ? recovery : null)
        {
            Counters = counters,
        };
        clientChannel.Attach(relay);
        RelayOutcome outcome = await relay.RunAsync(stoppingToken).ConfigureAwait(false);
        RelayEnded(_log, outcome.End, outcome.AgentExit.ExitCode, outcome.UnansweredRequests, outcome.ExitCode);
        return outcome.ExitCode;
    }

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Relay ended ({End}); agent exit code {AgentExitCode}, {Unanswered} request(s) answered with errors; host exit code {ExitCode}")]
    private static partial void RelayEnded(ILogger logger, RelayEnd end, int agentExitCode, int unanswered, int exitCode);

    [LoggerMessage(EventId = 3, Level = LogLevel.Critical, Message = "{Reason}")]
    private static partial void AgentUnavailable(ILogger logger, string reason);

    [LoggerMessage(EventId = 4, Level = LogLevel.Critical, Message = "The host failed")]
    private static partial void HostFailed(ILogger logger, Exception exception);
}
