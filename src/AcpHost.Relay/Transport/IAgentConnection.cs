using System.IO.Pipelines;

namespace AcpHost.Relay.Transport;

/// <summary>
/// The agent side of the relay: its stdout to read, its stdin to write, and how it ended. The real one is a child
/// process (<see cref="AgentProcess"/>); tests supply in-memory pipes.
/// </summary>
public interface IAgentConnection : IAsyncDisposable
{
    /// <summary>What the agent writes (its stdout).</summary>
    PipeReader Output { get; }

    /// <summary>What the agent reads (its stdin).</summary>
    PipeWriter Input { get; }

    /// <summary>Completes when the agent has exited, with its exit code and last stderr lines.</summary>
    Task<AgentExit> Exited { get; }

    /// <summary>
    /// Waits up to <paramref name="grace"/> for the agent to exit by itself (its stdin should be closed first),
    /// then ends it and everything it started. Returns how it ended.
    /// </summary>
    Task<AgentExit> ShutdownAsync(TimeSpan grace);
}
