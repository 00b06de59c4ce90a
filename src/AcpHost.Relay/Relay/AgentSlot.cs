using AcpHost.Relay.Transport;

namespace AcpHost.Relay.Relay;

/// <summary>
/// The agent messages go to now: its connection and the one writer to its input, whether it is ready for messages
/// (a restart holds them back), and how the last one ended. <see cref="AgentSupervisor"/> changes it; the writes and
/// routers only read it, from the pumps' threads while a restart swaps it, hence the volatile fields.
/// </summary>
internal sealed class AgentSlot
{
    private readonly TimeSpan _restartWait;
    private volatile IAgentConnection _connection;
    private volatile LineWriter _writer;
    private volatile AgentExit? _loss;
    private volatile TaskCompletionSource<bool> _ready = Ready();

    /// <param name="connection">The first agent.</param>
    /// <param name="restartWait">How long a message waits for an agent that restarts (<see cref="RelayOptions.RestartWaitTimeout"/>).</param>
    public AgentSlot(IAgentConnection connection, TimeSpan restartWait)
    {
        _connection = connection;
        _writer = new LineWriter(connection.Input);
        _restartWait = restartWait;
    }

    public IAgentConnection Connection => _connection;

    /// <summary>The writer of the current agent (a restart brings a new one).</summary>
    public LineWriter Writer => _writer;

    /// <summary>How the agent ended, once it has, until a new one replaces it: the agent-gone errors quote it.</summary>
    public AgentExit? Loss
    {
        get => _loss;
        set => _loss = value;
    }

    /// <summary>Makes <paramref name="replacement"/> the agent and returns the one it replaces.</summary>
    public IAgentConnection Replace(IAgentConnection replacement)
    {
        IAgentConnection previous = _connection;
        _writer = new LineWriter(replacement.Input);
        _connection = replacement;
        return previous;
    }

    /// <summary>From now on messages wait: for a restarted agent (<see cref="Release"/> true), or for their errors.</summary>
    public void Hold()
    {
        if (_ready.Task.IsCompleted)
        {
            _ready = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    /// <summary>Lets waiting messages go: to the agent when <paramref name="ready"/>, to their errors when not.</summary>
    public void Release(bool ready) => _ready.TrySetResult(ready);

    /// <summary>
    /// Waits while the agent restarts. True when an agent is ready to take messages, false when it is gone for good
    /// or did not come back within the restart wait.
    /// </summary>
    public async ValueTask<bool> WaitReadyAsync(CancellationToken cancellationToken)
    {
        Task<bool> ready = _ready.Task;
        if (ready.IsCompleted)
        {
            return ready.Result;
        }

        try
        {
            return await ready.WaitAsync(_restartWait, cancellationToken).ConfigureAwait(false);
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
}
