using System.IO.Pipelines;
using AcpHost.Relay.Protocol;
using AcpHost.Relay.Transport;
using Microsoft.Extensions.Logging;

namespace AcpHost.Relay.Relay;

/// <summary>
/// Relays newline-delimited JSON-RPC between a client and an agent: one pump per direction, one writer per peer.
/// Untouched messages leave byte for byte and in order; features see only the methods they registered for; the
/// host can send requests of its own to the agent without ever colliding with the client's ids. The pieces, each in
/// its own file: <see cref="ClientRouter"/> and <see cref="AgentRouter"/> route lines, <see cref="RelayWrites"/>
/// writes them, <see cref="Interception"/> hands them to features, <see cref="RequestBooks"/> keeps the requests in
/// flight, and <see cref="AgentSupervisor"/> watches the agent (loss, restart, shutdown). This class wires them and is
/// the <see cref="IRelayOutlet"/> features send through.
/// </summary>
public sealed partial class JsonRpcRelay : IRelayOutlet
{
    private readonly PipeReader _clientInput;
    private readonly RelaySetup _setup;
    private readonly ILogger _log;
    private readonly AgentSlot _agent;
    private readonly RelayWrites _writes;
    private readonly RequestBooks _books = new();
    private readonly Interception _interception;
    private readonly ClientRouter _clientRouter;
    private readonly AgentSupervisor _supervisor;

    /// <summary>
    /// Creates a relay between a client (its input and output pipes) and an agent, which it owns from now on, set up
    /// as <paramref name="setup"/> says.
    /// </summary>
    public JsonRpcRelay(PipeReader clientInput, PipeWriter clientOutput, IAgentConnection agent, RelaySetup setup)
    {
        ArgumentNullException.ThrowIfNull(clientInput);
        ArgumentNullException.ThrowIfNull(clientOutput);
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(setup);
        _clientInput = clientInput;
        _setup = setup;
        _log = setup.Log;
        RelayOptions options = setup.Options;
        _agent = new AgentSlot(agent, options.RestartWaitTimeout);
        _writes = new RelayWrites(clientOutput, _agent, setup.Trace, _log);
        _interception = new Interception(setup.Interceptors, this, setup.Dialect.Chunk, _log, _books.Held);
        _clientRouter = new ClientRouter(_writes, _interception, _books, setup.Dialect, options.MaxMessageBytes, setup.Counters);
        setup.Counters.CountRequestsOf(_books.Pending);
        _supervisor = new AgentSupervisor(_agent, _writes, _books, options, _log, setup.Ending);
    }

    /// <summary>
    /// The error a client request gets when the host stops before it is done: one the relay's end finds held, or one
    /// the host was answering itself.
    /// </summary>
    public static MessageError ShuttingDown { get; } = new(JsonRpcErrorCodes.InternalError, "The host is shutting down; the request was not completed");

    /// <summary>The client's requests in flight: what tests look at to see that none is left behind.</summary>
    internal PendingRequests Pending => _books.Pending;

    /// <summary>Messages and bytes received from each side (<see cref="RelaySetup.Counters"/>).</summary>
    public RelayCounters Counters => _setup.Counters;

    /// <summary>
    /// Runs until the client closes its input, <paramref name="stoppingToken"/> fires, or the agent goes away for
    /// good (see <see cref="AgentSupervisor.RunAsync"/>). Never throws for a peer that goes away: the outcome says
    /// what happened.
    /// </summary>
    public async Task<RelayOutcome> RunAsync(CancellationToken stoppingToken)
    {
        RelayOptions options = _setup.Options;
        using var pumps = new CancellationTokenSource();
        Task<PumpEnd> clientPump = Task.Run(() => LinePump.RunAsync(_clientInput, new LineFramer(options.MaxMessageBytes), _clientRouter, pumps.Token), CancellationToken.None);

        var run = new SupervisedRun(clientPump, (_clientInput as IInputEnd)?.Ended, agent => StartAgentPump(agent, pumps.Token), _setup.Recovery, this);
        RelayOutcome outcome = await _supervisor.RunAsync(run, stoppingToken).ConfigureAwait(false);

        // The host's own answers in the making (their agent requests failed with the agent) are written before the
        // client's output closes. Each step from here gets what is left of the shutdown's bound, at most its own cap: a
        // client that reads nothing must not hold the host beyond it.
        EndClock end = _supervisor.End;
        await _interception.StopAsync(end.Left(options.DrainTimeout)).ConfigureAwait(false);
        await AnswerHeldAsync(end.Left(options.DrainTimeout)).ConfigureAwait(false);

        // A line the client pump is routing finishes first (a request held as the end began is answered by the pump),
        // bounded; a pump in a read of the editor's stdin, which cannot be interrupted, is left behind.
        await _clientRouter.BetweenLinesAsync(end.Left(options.DrainTimeout)).ConfigureAwait(false);
        await pumps.CancelAsync().ConfigureAwait(false);
        await AgentSupervisor.WithinAsync(_writes.ToClient.CompleteAsync().AsTask(), end.Left(options.DrainTimeout)).ConfigureAwait(false);
        await AgentSupervisor.WithinAsync(_agent.Connection.DisposeAsync().AsTask(), end.Left(options.DrainTimeout)).ConfigureAwait(false);
        return outcome;
    }

    /// <summary>Requests an interceptor still holds back get their error, like every request in flight, bounded.</summary>
    private async Task AnswerHeldAsync(TimeSpan timeout)
    {
        IReadOnlyList<RequestId> held = _books.Held.TakeAll();
        if (held.Count == 0)
        {
            return;
        }

        RelayLog.HeldFailed(_log, held.Count);
        using var bounded = new CancellationTokenSource(timeout);
        try
        {
            foreach (RequestId id in held)
            {
                await _writes.ReplyToClientAsync(id, ShuttingDown, bounded.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (bounded.IsCancellationRequested)
        {
            // The client is not reading: nobody is left to tell.
        }
    }

    private Task<PumpEnd> StartAgentPump(IAgentConnection agent, CancellationToken cancellationToken)
    {
        // A router per agent: its last-method cache belongs to one pump, and a dead agent's pump may still be draining.
        var router = new AgentRouter(_writes, _interception, _books, _setup.Dialect.Chunk, _setup.Options.MaxMessageBytes, _setup.Counters);
        return Task.Run(() => LinePump.RunAsync(agent.Output, new LineFramer(_setup.Options.MaxMessageBytes), router, cancellationToken), CancellationToken.None);
    }
}
