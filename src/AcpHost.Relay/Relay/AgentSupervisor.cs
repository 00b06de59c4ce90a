using AcpHost.Relay.Transport;
using Microsoft.Extensions.Logging;

namespace AcpHost.Relay.Relay;

/// <summary>
/// Watches the agent for as long as the relay runs: ends it with a grace period when the client closes or the host
/// stops, answers every request it leaves behind when it dies, and, with a recovery, starts and restores a new one
/// while the client's messages wait. The relay's routing never sees any of this beyond <see cref="AgentSlot"/>.
/// </summary>
/// <param name="agent">The agent messages go to; swapped here on a restart.</param>
/// <param name="writes">For the errors owed to the client and the last flushes.</param>
/// <param name="books">The requests the agent leaves unanswered when it goes.</param>
/// <param name="options">The grace, drain, restart and restore timings.</param>
/// <param name="log">The relay's log.</param>
/// <param name="ending">Told when the relay begins to end, the time by which the process should be gone.</param>
internal sealed class AgentSupervisor(AgentSlot agent, RelayWrites writes, RequestBooks books, RelayOptions options, ILogger log, Action<DateTimeOffset>? ending = null)
{
    /// <summary>
    /// Started when the relay begins to end: the grace goes to the agent, and every step after it (its last output,
    /// the errors owed to the client) shares what is left of <see cref="RelayOptions.ShutdownBound"/>, so the relay
    /// ends in time whatever its peers do.
    /// </summary>
    public EndClock End { get; } = new(options.ShutdownBound, ending);

    /// <summary>
    /// Runs until the client closes its input, <paramref name="stoppingToken"/> fires, or the agent goes away for
    /// good. On the first two the agent gets end of input, a grace period to finish (its output still relayed), then
    /// is killed. When the agent dies, every client request still waiting is answered with an error; then, with a
    /// recovery, a new agent is started and restored while the client's messages wait, as often as the recovery
    /// allows. Never throws for a peer that goes away: the outcome says what happened.
    /// </summary>
    public async Task<RelayOutcome> RunAsync(SupervisedRun run, CancellationToken stoppingToken)
    {
        Task<PumpEnd> clientPump = run.ClientPump;
        Task<PumpEnd> agentPump = run.StartAgentPump(agent.Connection);
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using CancellationTokenRegistration registration = stoppingToken.Register(() => stopped.TrySetResult());
        Task inputEnded = run.ClientInputEnded ?? stopped.Task;

        RelayOutcome outcome;
        int restarts = 0;
        while (true)
        {
            IAgentConnection current = agent.Connection;
            Task first = await Task.WhenAny(clientPump, agentPump, current.Exited, stopped.Task, inputEnded).ConfigureAwait(false);
            if (first == inputEnded && !stopped.Task.IsCompleted)
            {
                BeginEnd();
                // The pump normally delivers what came before the end at once and stops. One stuck writing to an agent
                // that stopped reading has the grace period; then the agent is ended without more.
                inputEnded = stopped.Task;
                if (await Task.WhenAny(clientPump, Task.Delay(End.GraceLeft(options.ShutdownGrace), stoppingToken)).ConfigureAwait(false) != clientPump)
                {
                    RelayLog.ClientInputStuck(log);
                    outcome = await ShutDownAsync(RelayEnd.ClientClosed, agentPump, TimeSpan.Zero).ConfigureAwait(false);
                    break;
                }

                continue;
            }

            if (first == clientPump)
            {
                RelayLog.ClientClosed(log);
                outcome = await ShutDownAsync(RelayEnd.ClientClosed, agentPump, options.ShutdownGrace).ConfigureAwait(false);
                break;
            }

            if (first == stopped.Task)
            {
                RelayLog.StopRequested(log);
                outcome = await ShutDownAsync(RelayEnd.Stopped, agentPump, options.ShutdownGrace).ConfigureAwait(false);
                break;
            }

            if (first == agentPump && agentPump.IsCompletedSuccessfully && agentPump.Result == PumpEnd.OutputGone)
            {
                RelayLog.ClientGone(log);
                outcome = await ShutDownAsync(RelayEnd.ClientClosed, agentPump, options.ShutdownGrace).ConfigureAwait(false);
                break;
            }

            outcome = await HandleAgentLossAsync(agentPump, holdMessages: run.Recovery is not null).ConfigureAwait(false);
            if (run.Recovery?.NextRestartDelay(outcome.AgentExit) is not { } delay || clientPump.IsCompleted || stoppingToken.IsCancellationRequested)
            {
                if (run.Recovery is not null)
                {
                    RelayLog.RestartsExhausted(log, restarts);
                }

                break;
            }

            restarts++;
            if (await RestartAsync(run, new AgentRestart(restarts, outcome.AgentExit), delay, stoppingToken).ConfigureAwait(false) is { } restarted)
            {
                agentPump = restarted;
            }
        }

        // Client messages waiting for a restart that will not come get their errors now.
        BeginEnd();
        agent.Release(false);
        return outcome;
    }

    /// <summary>
    /// The relay begins to end: its clock starts, and requests held back by an interceptor stay held for their errors
    /// (the agent's input is closing: nothing let go now could reach it).
    /// </summary>
    private void BeginEnd()
    {
        // Closed before the clock starts, whose start is told (RelaySetup.Ending): whoever hears it sees the end begun.
        books.Held.Close();
        End.Start();
    }

    /// <summary>Waits for <paramref name="task"/> at most <paramref name="timeout"/>; its outcome is not observed here.</summary>
    public static async Task WithinAsync(Task task, TimeSpan timeout)
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

    /// <summary>Starts and restores a new agent; returns its pump, or null when this attempt failed.</summary>
    private async Task<Task<PumpEnd>?> RestartAsync(SupervisedRun run, AgentRestart restart, TimeSpan delay, CancellationToken stoppingToken)
    {
        RelayLog.Restarting(log, restart.Attempt, restart.PreviousExit.ExitCode, delay);
        IAgentConnection replacement;
        try
        {
            await Task.Delay(delay, stoppingToken).ConfigureAwait(false);
            replacement = await run.Recovery!.StartAgentAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception ex) when (ex is AgentStartException or IOException or InvalidOperationException)
        {
            RelayLog.RestartFailed(log, ex, restart.Attempt);
            return null;
        }

        IAgentConnection previous = agent.Replace(replacement);
        await previous.DisposeAsync().ConfigureAwait(false);
        books.Reopen();
        agent.Loss = null;
        Task<PumpEnd> pump = run.StartAgentPump(replacement);
        try
        {
            using var restoring = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            restoring.CancelAfter(options.RestoreTimeout);
            await run.Recovery.RestoreAsync(run.Outlet, restart, restoring.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is AgentUnavailableException or OperationCanceledException or IOException)
        {
            // The new agent died or hung while being restored: the loop sees it go and decides again.
            RelayLog.RestoreFailed(log, ex, restart.Attempt);
        }

        agent.Release(true);
        return pump;
    }

    private async Task<RelayOutcome> ShutDownAsync(RelayEnd end, Task<PumpEnd> agentPump, TimeSpan grace)
    {
        BeginEnd();

        // Closing the agent's input waits for its writer, which a flush to an agent that stopped reading can hold;
        // the kill at the end of the grace period breaks that flush, so the close is awaited only after it.
        Task closing = agent.Writer.CompleteAsync().AsTask();

        // Whatever the agent still writes is relayed while it winds down, for at most the grace period (what is left of
        // it, when the end began earlier: the client's input ended while its pump was stuck).
        agent.Release(true);
        AgentExit exit = await agent.Connection.ShutdownAsync(End.GraceLeft(grace)).ConfigureAwait(false);
        await WithinAsync(closing, End.Left(options.DrainTimeout)).ConfigureAwait(false);
        if (exit.KilledByHost)
        {
            RelayLog.AgentKilled(log, grace);
        }
        else
        {
            RelayLog.AgentExited(log, exit.ExitCode);
        }

        await DrainAsync(agentPump).ConfigureAwait(false);
        int unanswered = await FailPendingAsync(exit).ConfigureAwait(false);
        return new RelayOutcome(end, exit, unanswered);
    }

    private async Task<RelayOutcome> HandleAgentLossAsync(Task<PumpEnd> agentPump, bool holdMessages)
    {
        // From now on client messages wait: for a restarted agent, or for their errors.
        if (holdMessages)
        {
            agent.Hold();
        }

        // Deliver what the agent wrote before it went, then find out how it ended.
        await DrainAsync(agentPump).ConfigureAwait(false);
        IAgentConnection lost = agent.Connection;
        Task exited = await Task.WhenAny(lost.Exited, Task.Delay(options.DrainTimeout)).ConfigureAwait(false);
        if (exited != lost.Exited)
        {
            RelayLog.AgentOutputClosed(log);
        }

        AgentExit exit = await lost.ShutdownAsync(TimeSpan.Zero).ConfigureAwait(false);
        if (log.IsEnabled(LogLevel.Error))
        {
            RelayLog.AgentLost(log, exit.ExitCode, string.Join(" | ", StderrQuote.Last([.. exit.LastStderrLines.TakeLast(5)])));
        }

        int unanswered = await FailPendingAsync(exit).ConfigureAwait(false);
        return new RelayOutcome(RelayEnd.AgentLost, exit, unanswered);
    }

    private async Task DrainAsync(Task<PumpEnd> agentPump)
    {
        await WithinAsync(agentPump, End.Left(options.DrainTimeout)).ConfigureAwait(false);
        await WithinAsync(writes.FlushClientAsync(CancellationToken.None).AsTask(), End.Left(options.DrainTimeout)).ConfigureAwait(false);
    }

    /// <summary>
    /// Answers every request still waiting. A client that stopped reading its output could block these writes
    /// forever, so they get a bounded time; the count says how many requests were left unanswered by the agent.
    /// </summary>
    private async Task<int> FailPendingAsync(AgentExit exit)
    {
        agent.Loss = exit;
        IReadOnlyList<PendingRequest> unanswered = books.Close(exit);
        if (unanswered.Count == 0)
        {
            return 0;
        }

        RelayLog.PendingFailed(log, unanswered.Count);
        using var bounded = new CancellationTokenSource(End.Left(options.DrainTimeout));
        try
        {
            foreach (PendingRequest request in unanswered)
            {
                await writes.AnswerAgentGoneAsync(request.ClientId, bounded.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (bounded.IsCancellationRequested)
        {
            RelayLog.ClientNotReading(log);
        }

        return unanswered.Count;
    }
}
