using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using AcpHost.Relay.Protocol;
using AcpHost.Relay.Transport;
using Microsoft.Extensions.Logging;

namespace AcpHost.Relay.Relay;

/// <summary>
/// Every write of the relay, through the one writer per peer: lines relayed as they came, the host's own messages,
/// and its error replies, each traced on the way. The routers, the supervisor and the outlet all write through here.
/// </summary>
internal sealed class RelayWrites
{
    private readonly AgentSlot _agent;
    private readonly MessageTrace? _trace;
    private readonly ILogger _log;
    private readonly bool _tracing;

    /// <summary>Writes to <paramref name="clientOutput"/> and to whichever agent <paramref name="agent"/> holds.</summary>
    public RelayWrites(PipeWriter clientOutput, AgentSlot agent, MessageTrace? trace, ILogger log)
    {
        ToClient = new LineWriter(clientOutput);
        _agent = agent;
        _trace = trace;
        _log = log;
        Warnings = new RelayWarnings(log);

        // Asked once: the logging level is set at start-up, and the hot path should not ask the logger per line.
        _tracing = trace is not null || log.IsEnabled(LogLevel.Trace);
    }

    /// <summary>The one writer to the client.</summary>
    public LineWriter ToClient { get; }

    /// <summary>The bad-input warnings, rate-limited, that go with the error replies.</summary>
    public RelayWarnings Warnings { get; }

    public void Trace(string route, ReadOnlySpan<byte> message)
    {
        if (!_tracing)
        {
            return;
        }

        _trace?.Record(route, message);
        if (_log.IsEnabled(LogLevel.Trace))
        {
#pragma warning disable CA1873 // Guarded by the IsEnabled check just above; the analyzer does not see through it.
            RelayLog.Relayed(_log, route, Encoding.UTF8.GetString(message));
#pragma warning restore CA1873
        }
    }

    /// <summary>Waits while the agent restarts: see <see cref="AgentSlot.WaitReadyAsync"/>.</summary>
    public ValueTask<bool> WaitForAgentAsync(CancellationToken cancellationToken) => _agent.WaitReadyAsync(cancellationToken);

    public async ValueTask<bool> SendToClientAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        Trace(MessageTrace.HostToClient, message.Span);
        return await ToClient.WriteLineAsync(message, flush: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends a message of the host's own to the agent, flushed; false when the agent is not reading.</summary>
    public ValueTask<bool> SendToAgentAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        Trace(MessageTrace.HostToAgent, message.Span);
        return _agent.Writer.WriteLineAsync(message, flush: true, cancellationToken);
    }

    public async ValueTask ForwardToAgentAsync(ReadOnlyMemory<byte> line, CancellationToken cancellationToken)
    {
        Trace(MessageTrace.ClientToAgent, line.Span);
        await _agent.Writer.WriteLineAsync(line, flush: false, cancellationToken).ConfigureAwait(false);
    }

    public ValueTask<bool> ForwardToClientAsync(ReadOnlyMemory<byte> line, CancellationToken cancellationToken)
    {
        Trace(MessageTrace.AgentToClient, line.Span);
        return ToClient.WriteLineAsync(line, flush: false, cancellationToken);
    }

    public ValueTask<bool> FlushAgentAsync(CancellationToken cancellationToken) => _agent.Writer.FlushAsync(cancellationToken);

    public ValueTask<bool> FlushClientAsync(CancellationToken cancellationToken) => ToClient.FlushAsync(cancellationToken);

    public async ValueTask<bool> RejectClientMessageAsync(RequestId? id, MessageError error, CancellationToken cancellationToken)
    {
        Warnings.ClientMessageRejected(error.Message, error.Code, id?.ToString() ?? "null");
        return await ReplyToClientAsync(id, error, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Answers a client request (or bad input, with <paramref name="id"/> null) with an error of the host's.</summary>
    public async ValueTask<bool> ReplyToClientAsync(RequestId? id, MessageError error, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        JsonRpcWriter.WriteError(buffer, id, error.Code, error.Message);
        return await SendToClientAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Answers one of the agent's requests with an error of the host's.</summary>
    public async ValueTask ReplyToAgentAsync(RequestId id, MessageError error, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        JsonRpcWriter.WriteError(buffer, id, error.Code, error.Message);
        await SendToAgentAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Answers a client request the agent will not answer, quoting how the agent ended.</summary>
    public async ValueTask<bool> AnswerAgentGoneAsync(RequestId clientId, CancellationToken cancellationToken)
    {
        AgentExit exit = _agent.Loss ?? new AgentExit(-1, [], KilledByHost: false);
        var buffer = new ArrayBufferWriter<byte>(512);
        AgentGoneError.Write(buffer, clientId, exit);
        return await SendToClientAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
    }
}
