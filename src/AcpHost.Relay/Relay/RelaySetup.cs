using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AcpHost.Relay.Relay;

/// <summary>
/// Everything about a <see cref="JsonRpcRelay"/> that the host decides once, apart from the two peers it connects:
/// how it behaves (limits, timings, dialect), what plugs into it (interceptors, recovery) and where it reports.
/// The defaults make a plain JSON-RPC relay with no features, no restarts, no trace and no log.
/// </summary>
public sealed class RelaySetup
{
    /// <summary>Limits and timings.</summary>
    public RelayOptions Options { get; init; } = new();

    /// <summary>The protocol facts the relay acts on (for ACP, <c>AcpHost.Acp.AcpDialect.Instance</c>).</summary>
    public RelayDialect Dialect { get; init; } = RelayDialect.JsonRpc;

    /// <summary>The features' hooks, in the order they run.</summary>
    public IEnumerable<IMessageInterceptor> Interceptors { get; init; } = [];

    /// <summary>
    /// Brings back an agent that dies while the client is connected; null ends the relay instead.
    /// </summary>
    public IAgentRecovery? Recovery { get; init; }

    /// <summary>
    /// A file every message is recorded to; the caller keeps ownership, and records written after it is disposed are
    /// dropped. Null for none.
    /// </summary>
    public MessageTrace? Trace { get; init; }

    /// <summary>The relay's log.</summary>
    public ILogger Log { get; init; } = NullLogger.Instance;

    /// <summary>Where the routers count the messages and bytes they receive (read from outside, e.g. by telemetry).</summary>
    public RelayCounters Counters { get; init; } = new();

    /// <summary>
    /// Told once, when the relay begins to end, the time by which the process should be gone
    /// (<see cref="RelayOptions.ShutdownBound"/> from then): what runs after the relay bounds itself by it.
    /// </summary>
    public Action<DateTimeOffset>? Ending { get; init; }
}
