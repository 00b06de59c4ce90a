using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using AcpHost.Relay.Protocol;
using AcpHost.Relay.Transport;
using Microsoft.Extensions.Logging;

namespace AcpHost.Relay.Relay;

/// <summary>
/// Relays newline-delimited JSON-RPC between a client and an agent: one pump per direction, one writer per peer.
/// Untouched messages leave byte for byte and in order; features see only the methods they registered for; the
/// host can send requests of its own to the agent without ever colliding with the client's ids.
/// </summary>
public sealed partial class JsonRpcRelay : IRelayOutlet
{
    private readonly PipeReader _clientInput;
    private readonly MessageTrace? _trace;
    private readonly IAgentRecovery? _recovery;
    private readonly bool _tracing;
    private readonly ClientRouter _clientRouter;
    private volatile IAgentConnection _agent;
    private volatile LineWriter _toAgent;
    private volatile AgentExit? _agentLoss;
    private volatile TaskCompletionSource<bool> _agentReady = Ready();

    /// <summary>
    /// Creates a relay between a client (its input and output pipes) and an agent, which it owns from now on. The
    /// caller keeps ownership of <paramref name="trace"/>; records written after it is disposed are dropped. With
    /// <paramref name="recovery"/>, an agent that dies while the client is connected is replaced instead of ending
    /// the relay.
    /// </summary>
    public JsonRpcRelay(
        PipeReader clientInput,
        PipeWriter clientOutput,
        IAgentConnection agent,
        RelayOptions options,
        IEnumerable<IMessageInterceptor> interceptors,
        ILogger<JsonRpcRelay> log,
        MessageTrace? trace = null,
        IAgentRecovery? recovery = null)
    {
        ArgumentNullException.ThrowIfNull(clientInput);
        ArgumentNullException.ThrowIfNull(clientOutput);
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(interceptors);
        ArgumentNullException.ThrowIfNull(log);
        _clientInput = clientInput;
        _agent = agent;
        _trace = trace;
        _recovery = recovery;
        Options = options;
        Log = log;
        ToClient = new LineWriter(clientOutput);
        _toAgent = new LineWriter(agent.Input);
        Interceptors = new InterceptorTable(interceptors);
        _clientRouter = new ClientRouter(this);
        Warnings = new RelayWarnings(log);
        Work = new HostWork(log);

        // Asked once: the logging level is set at start-up, and the hot path should not ask the logger per line.
        _tracing = trace is not null || log.IsEnabled(LogLevel.Trace);
    }

    internal RelayOptions Options { get; }

    /// <summary>Messages and bytes received from each side; give the relay one to read them from outside.</summary>
    public RelayCounters Counters { get; init; } = new();

    internal ILogger Log { get; }

    internal LineWriter ToClient { get; }

    /// <summary>The writer of the current agent (a restart brings a new one).</summary>
    internal LineWriter ToAgent => _toAgent;

    internal InterceptorTable Interceptors { get; }

    internal RelayWarnings Warnings { get; }

    internal HostWork Work { get; }

    internal PendingRequests Pending { get; } = new();

    internal HostRequests HostRequests { get; } = new();

    internal HostIdSpace Ids { get; } = new();

    /// <summary>
    /// Runs until the client closes its input, <paramref name="stoppingToken"/> fires, or the agent goes away for
    /// good. On the first two the agent gets end of input, a grace period to finish (its output still relayed), then
    /// is killed. When the agent dies, every client request still waiting is answered with an error; then, with a
    /// recovery, a new agent is started and restored while the client's messages wait, as often as the recovery
    /// allows. Never throws for a peer that goes away: the outcome says what happened.
    /// </summary>
    public async Task<RelayOutcome> RunAsync(CancellationToken stoppingToken)
    {
        using var pumps = new CancellationTokenSource();
        Task<PumpEnd> clientPump = Task.Run(() => LinePump.RunAsync(_clientInput, new LineFramer(Options.MaxMessageBytes), _clientRouter, pumps.Token), CancellationToken.None);
        Task<PumpEnd> agentPump = StartAgentPump(_agent, pumps.Token);
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using CancellationTokenRegistration registration = stoppingToken.Register(() => stopped.TrySetResult());

        // The client's end of input, seen even while the pump is stuck writing to an agent that stopped reading.
        Task inputEnded = (_clientInput as IInputEnd)?.Ended ?? stopped.Task;

        RelayOutcome outcome;
        int restarts = 0;
        while (true)
        {
            IAgentConnection agent = _agent;
            Task first = await Task.WhenAny(clientPump, agentPump, agent.Exited, stopped.Task, inputEnded).ConfigureAwait(false);
            if (first == inputEnded && !stopped.Task.IsCompleted)
            {
                // The pump normally delivers what came before the end at once and stops. One stuck writing to an agent
                // that stopped reading has the grace period; then the agent is ended without more.
                inputEnded = stopped.Task;
                if (await Task.WhenAny(clientPump, Task.Delay(Options.ShutdownGrace, stoppingToken)).ConfigureAwait(false) != clientPump)
                {
                    RelayLog.ClientInputStuck(Log);
                    outcome = await ShutDownAsync(RelayEnd.ClientClosed, agentPump, TimeSpan.Zero).ConfigureAwait(false);
                    break;
                }

                continue;
            }

            if (first == clientPump)
            {
                RelayLog.ClientClosed(Log);
                outcome = await ShutDownAsync(RelayEnd.ClientClosed, agentPump, Options.ShutdownGrace).ConfigureAwait(false);
                break;
            }

            if (first == stopped.Task)
            {
                RelayLog.StopRequested(Log);
                outcome = await ShutDownAsync(RelayEnd.Stopped, agentPump, Options.ShutdownGrace).ConfigureAwait(false);
                break;
            }

            if (first == agentPump && agentPump.IsCompletedSuccessfully && agentPump.Result == PumpEnd.OutputGone)
            {
                RelayLog.ClientGone(Log);
                outcome = await ShutDownAsync(RelayEnd.ClientClosed, agentPump, Options.ShutdownGrace).ConfigureAwait(false);
                break;
            }

            outcome = await HandleAgentLossAsync(agentPump).ConfigureAwait(false);
            if (_recovery?.NextRestartDelay(outcome.AgentExit) is not { } delay || clientPump.IsCompleted || stoppingToken.IsCancellationRequested)
            {
                if (_recovery is not null)
                {
                    RelayLog.RestartsExhausted(Log, restarts);
                }

                break;
            }

            restarts++;
            if (await RestartAsync(new AgentRestart(restarts, outcome.AgentExit), delay, pumps.Token, stoppingToken).ConfigureAwait(false) is { } restarted)
            {
                agentPump = restarted;
            }
        }

        // Client messages waiting for a restart that will not come get their errors now, and the host's own answers
        // in the making (their agent requests failed with the agent) are written before the client's output closes.
        _agentReady.TrySetResult(false);
        await Work.StopAsync(Options.DrainTimeout).ConfigureAwait(false);

        // The client pump may sit in a read of the editor's stdin that cannot be interrupted; it is left behind.
        await pumps.CancelAsync().ConfigureAwait(false);
        await WithinAsync(ToClient.CompleteAsync().AsTask(), Options.DrainTimeout).ConfigureAwait(false);
        await _agent.DisposeAsync().ConfigureAwait(false);
        return outcome;
    }

    internal void Trace(string route, ReadOnlySpan<byte> message)
    {
        if (!_tracing)
        {
            return;
        }

        _trace?.Record(route, message);
        if (Log.IsEnabled(LogLevel.Trace))
        {
#pragma warning disable CA1873 // Guarded by the IsEnabled check just above; the analyzer does not see through it.
            RelayLog.Relayed(Log, route, Encoding.UTF8.GetString(message));
#pragma warning restore CA1873
        }
    }

    /// <summary>
    /// Waits while the agent restarts. True when an agent is ready to take messages, false when it is gone for good
    /// or did not come back within <see cref="RelayOptions.RestartWaitTimeout"/>.
    /// </summary>
    internal async ValueTask<bool> WaitForAgentAsync(CancellationToken cancellationToken)
    {
        Task<bool> ready = _agentReady.Task;
        if (ready.IsCompleted)
        {
            return ready.Result;
        }

        try
        {
            return await ready.WaitAsync(Options.RestartWaitTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private static TaskCompletionSource<bool> Ready()
    {
        var ready = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        ready.SetResult(true);
        return ready;
    }

    private Task<PumpEnd> StartAgentPump(IAgentConnection agent, CancellationToken cancellationToken) =>
        Task.Run(() => LinePump.RunAsync(agent.Output, new LineFramer(Options.MaxMessageBytes), new AgentRouter(this), cancellationToken), CancellationToken.None);

    /// <summary>Starts and restores a new agent; returns its pump, or null when this attempt failed.</summary>
    private async Task<Task<PumpEnd>?> RestartAsync(AgentRestart restart, TimeSpan delay, CancellationToken pumps, CancellationToken stoppingToken)
    {
        RelayLog.Restarting(Log, restart.Attempt, restart.PreviousExit.ExitCode, delay);
        IAgentConnection replacement;
        try
        {
            await Task.Delay(delay, stoppingToken).ConfigureAwait(false);
            replacement = await _recovery!.StartAgentAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception ex) when (ex is AgentStartException or IOException or InvalidOperationException)
        {
            RelayLog.RestartFailed(Log, ex, restart.Attempt);
            return null;
        }

        IAgentConnection previous = _agent;
        _toAgent = new LineWriter(replacement.Input);
        _agent = replacement;
        await previous.DisposeAsync().ConfigureAwait(false);
        Pending.Reopen();
        HostRequests.Reopen();
        _agentLoss = null;
        Task<PumpEnd> pump = StartAgentPump(replacement, pumps);
        try
        {
            using var restoring = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            restoring.CancelAfter(Options.RestoreTimeout);
            await _recovery.RestoreAsync(this, restart, restoring.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is AgentUnavailableException or OperationCanceledException or IOException)
        {
            // The new agent died or hung while being restored: the loop sees it go and decides again.
            RelayLog.RestoreFailed(Log, ex, restart.Attempt);
        }

        _agentReady.TrySetResult(true);
        return pump;
    }

    private async Task<RelayOutcome> ShutDownAsync(RelayEnd end, Task<PumpEnd> agentPump, TimeSpan grace)
    {
        // Closing the agent's input waits for its writer, which a flush to an agent that stopped reading can hold;
        // the kill at the end of the grace period breaks that flush, so the close is awaited only after it.
        Task closing = ToAgent.CompleteAsync().AsTask();

        // Whatever the agent still writes is relayed while it winds down, for at most the grace period.
        _agentReady.TrySetResult(true);
        AgentExit exit = await _agent.ShutdownAsync(grace).ConfigureAwait(false);
        await WithinAsync(closing, Options.DrainTimeout).ConfigureAwait(false);
        if (exit.KilledByHost)
        {
            RelayLog.AgentKilled(Log, grace);
        }
        else
        {
            RelayLog.AgentExited(Log, exit.ExitCode);
        }

        await DrainAsync(agentPump).ConfigureAwait(false);
        int unanswered = await FailPendingAsync(exit).ConfigureAwait(false);
        return new RelayOutcome(end, exit, unanswered);
    }

    private async Task<RelayOutcome> HandleAgentLossAsync(Task<PumpEnd> agentPump)
    {
        // From now on client messages wait: for a restarted agent, or for their errors.
        if (_recovery is not null && _agentReady.Task.IsCompleted)
        {
            _agentReady = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        // Deliver what the agent wrote before it went, then find out how it ended.
        await DrainAsync(agentPump).ConfigureAwait(false);
        Task exited = await Task.WhenAny(_agent.Exited, Task.Delay(Options.DrainTimeout)).ConfigureAwait(false);
        if (exited != _agent.Exited)
        {
            RelayLog.AgentOutputClosed(Log);
        }

        AgentExit exit = await _agent.ShutdownAsync(TimeSpan.Zero).ConfigureAwait(false);
        if (Log.IsEnabled(LogLevel.Error))
        {
            RelayLog.AgentLost(Log, exit.ExitCode, string.Join(" | ", StderrQuote.Last([.. exit.LastStderrLines.TakeLast(5)])));
        }

        int unanswered = await FailPendingAsync(exit).ConfigureAwait(false);
        return new RelayOutcome(RelayEnd.AgentLost, exit, unanswered);
    }

    private async Task DrainAsync(Task<PumpEnd> agentPump)
    {
        await WithinAsync(agentPump, Options.DrainTimeout).ConfigureAwait(false);
        await WithinAsync(ToClient.FlushAsync(CancellationToken.None).AsTask(), Options.DrainTimeout).ConfigureAwait(false);
    }

    /// <summary>
    /// Answers every request still waiting. A client that stopped reading its output could block these writes
    /// forever, so they get a bounded time; the count says how many requests were left unanswered by the agent.
    /// </summary>
    private async Task<int> FailPendingAsync(AgentExit exit)
    {
        _agentLoss = exit;
        HostRequests.Close(new AgentUnavailableException($"The agent exited (code {exit.ExitCode})"));
        IReadOnlyList<PendingRequest> unanswered = Pending.Close();
        if (unanswered.Count == 0)
        {
            return 0;
        }

        RelayLog.PendingFailed(Log, unanswered.Count);
        using var bounded = new CancellationTokenSource(Options.DrainTimeout);
        try
        {
            foreach (PendingRequest request in unanswered)
            {
                await AnswerAgentGoneAsync(request.ClientId, bounded.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (bounded.IsCancellationRequested)
        {
            RelayLog.ClientNotReading(Log);
        }

        return unanswered.Count;
    }

    /// <summary>Waits for <paramref name="task"/> at most <paramref name="timeout"/>; its outcome is not observed here.</summary>
    private static async Task WithinAsync(Task task, TimeSpan timeout)
    {
        try
        {
            await task.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The caller moves on; the process is about to end anyway.
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            // A pump or writer that failed because its peer went away has nothing more to deliver.
        }
    }
}
