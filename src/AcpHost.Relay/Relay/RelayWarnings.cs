using System.Text;
using AcpHost.Relay.Diagnostics;
using Microsoft.Extensions.Logging;

namespace AcpHost.Relay.Relay;

/// <summary>
/// The relay's warnings about bad input, each kind rate-limited (<see cref="LogGate"/>): a peer flooding bad lines
/// gets the first <see cref="Burst"/> per <see cref="Interval"/> logged and the rest counted, so the log cannot grow
/// faster than the flood.
/// </summary>
internal sealed class RelayWarnings(ILogger log)
{
    /// <summary>Lines of one kind logged per interval before the rest are only counted.</summary>
    public const int Burst = 20;

    /// <summary>The interval of the rate limit.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    private const int QuotedBytes = 120;

    private readonly LogGate _rejected = new(Burst, Interval);
    private readonly LogGate _dropped = new(Burst, Interval);
    private readonly LogGate _unexpected = new(Burst, Interval);
    private readonly LogGate _foreignCancels = new(Burst, Interval);
    private readonly LogGate _failures = new(Burst, Interval);

    public void ClientMessageRejected(string reason, int code, string id) =>
        GatedLog.Write(log, _rejected, "Rejected a client message", (reason, code, id), static (l, s) => RelayLog.ClientMessageRejected(l, s.reason, s.code, s.id));

    /// <summary>A dropped agent line, quoted (only when it is logged: the quote costs more than counting it).</summary>
    public void AgentLineDropped(string reason, ReadOnlyMemory<byte> line) =>
        GatedLog.Write(log, _dropped, "Dropped a line from the agent", (reason, line), static (l, s) => RelayLog.AgentLineDropped(l, s.reason, Quote(s.line.Span)));

    public void UnexpectedResponse(string id) =>
        GatedLog.Write(log, _unexpected, "Dropped the agent's response to an unknown id", id, static (l, s) => RelayLog.UnexpectedResponse(l, s));

    public void ForeignCancelDropped(string method, string id) =>
        GatedLog.Write(log, _foreignCancels, "Dropped a client cancel for a host id", (method, id), static (l, s) => RelayLog.ForeignCancelDropped(l, s.method, s.id));

    public void LineFailed(Exception exception, string from, string quote) =>
        GatedLog.Write(log, _failures, "Failed to handle a line", (exception, from, quote), static (l, s) => RelayLog.LineFailed(l, s.exception, s.from, s.quote));

    /// <summary>The first bytes of a line, for a log line.</summary>
    public static string Quote(ReadOnlySpan<byte> line)
    {
        ReadOnlySpan<byte> head = line[..Math.Min(line.Length, QuotedBytes)];
        string text = Encoding.UTF8.GetString(head);
        return line.Length > QuotedBytes ? text + "…" : text;
    }
}
