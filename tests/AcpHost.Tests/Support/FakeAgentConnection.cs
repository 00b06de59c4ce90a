using System.IO.Pipelines;
using System.Text;
using AcpHost.Relay.Transport;

namespace AcpHost.Tests.Support;

/// <summary>
/// An agent made of two in-memory pipes: the test plays the agent by reading what the relay wrote to it
/// (<see cref="ReadFromRelay"/>) and writing what it says (<see cref="SayAsync"/>).
/// </summary>
internal sealed class FakeAgentConnection : IAgentConnection
{
    private readonly Pipe _toRelay;
    private readonly Pipe _fromRelay;
    private readonly WatchedPipeWriter _input;
    private readonly WatchedPipeWriter _stdout;
    private readonly TaskCompletionSource<AgentExit> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public FakeAgentConnection(PipeOptions? toRelayOptions = null, PipeOptions? fromRelayOptions = null)
    {
        _toRelay = new Pipe(toRelayOptions ?? PipeOptions.Default);
        _fromRelay = new Pipe(fromRelayOptions ?? PipeOptions.Default);
        ReadFromRelay = new LineReader(_fromRelay.Reader);
        _input = new WatchedPipeWriter(_fromRelay.Writer);
        _stdout = new WatchedPipeWriter(_toRelay.Writer);
    }

    public PipeReader Output => _toRelay.Reader;

    public PipeWriter Input => _input;

    public Task<AgentExit> Exited => _exited.Task;

    /// <summary>What the relay sent to the agent.</summary>
    public LineReader ReadFromRelay { get; }

    /// <summary>The agent's side of its stdout, for tests that write raw bytes.</summary>
    public PipeWriter AgentStdout => _stdout;

    /// <summary>True while the relay waits to write to this agent, which is not reading its input.</summary>
    public bool RelayWaitsToWrite => _input.IsWaitingForReader;

    /// <summary>True while a write to <see cref="AgentStdout"/> waits for the relay to read.</summary>
    public bool WaitsForRelay => _stdout.IsWaitingForReader;

    public bool WasKilled { get; private set; }

    /// <summary>Set to make the fake exit by itself when its stdin closes, as a well-behaved agent does.</summary>
    public bool ExitWhenInputCloses { get; init; } = true;

    public Task SayAsync(string line) => SayRawAsync(Encoding.UTF8.GetBytes(line + "\n"));

    public async Task SayRawAsync(byte[] bytes)
    {
        await _toRelay.Writer.WriteAsync(bytes);
    }

    /// <summary>The agent dies: its stdout closes and it exits with <paramref name="code"/>.</summary>
    public async Task DieAsync(int code, params string[] stderr)
    {
        await _toRelay.Writer.CompleteAsync();
        _exited.TrySetResult(new AgentExit(code, stderr, KilledByHost: false));
    }

    /// <summary>The grace the relay gave this agent to exit, and when it asked (a <see cref="System.Diagnostics.Stopwatch"/> timestamp).</summary>
    public (TimeSpan Grace, long At)? ShutdownAsked { get; private set; }

    public async Task<AgentExit> ShutdownAsync(TimeSpan grace)
    {
        ShutdownAsked ??= (grace, System.Diagnostics.Stopwatch.GetTimestamp());
        if (ExitWhenInputCloses && await ReadFromRelay.WaitForEndAsync(grace))
        {
            await _toRelay.Writer.CompleteAsync();
            _exited.TrySetResult(new AgentExit(0, [], KilledByHost: false));
        }
        else if (!_exited.Task.IsCompleted)
        {
            WasKilled = true;
            await _toRelay.Writer.CompleteAsync();

            // A killed process's stdin is gone: a writer blocked on it wakes up.
            await _fromRelay.Reader.CompleteAsync();
            _exited.TrySetResult(new AgentExit(137, [], KilledByHost: true));
        }

        return await _exited.Task;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
