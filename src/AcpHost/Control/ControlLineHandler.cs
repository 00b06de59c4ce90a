using System.Buffers;
using System.IO.Pipelines;
using AcpHost.Relay.Protocol;
using StreamJsonRpc;
using StreamJsonRpc.Protocol;
using RpcRequestId = StreamJsonRpc.RequestId;

namespace AcpHost.Control;

/// <summary>
/// StreamJsonRpc's newline-delimited framing (LF written, as on stdio, a trailing CR dropped, blank lines skipped) with
/// the two things the control wire promises on top (protocol/README.md, "Control endpoint"): no line longer than the cap
/// is buffered (StreamJsonRpc's own reader would wait for its end however long it grows), and a bad message is answered
/// with the JSON-RPC error for it and the connection goes on, where StreamJsonRpc would close it: lines are checked by the
/// relay's classifier, and on the endpoint by <see cref="ControlMessageCheck"/>, before StreamJsonRpc decodes them, and
/// a message its formatter still cannot read is answered too. A client takes every notification here, whatever its
/// method (StreamJsonRpc has no catch-all handler, and the client must see events a newer host adds).
/// </summary>
internal sealed class ControlLineHandler : NewLineDelimitedMessageHandler
{
    private readonly long _maxLineBytes;
    private readonly bool _answerBadInput;
    private readonly Func<string, JsonElement, ValueTask>? _onNotification;
    private bool _skippingOversized;

    /// <param name="pipe">The connection.</param>
    /// <param name="formatter">StreamJsonRpc's formatter.</param>
    /// <param name="maxLineBytes">The longest line read.</param>
    /// <param name="answerBadInput">Answer bad messages with their error (the endpoint) or ignore them (a client).</param>
    /// <param name="onNotification">Given every notification received, in order, instead of a registered handler.</param>
    public ControlLineHandler(IDuplexPipe pipe, IJsonRpcMessageTextFormatter formatter, long maxLineBytes, bool answerBadInput, Func<string, JsonElement, ValueTask>? onNotification)
        : base(pipe, formatter)
    {
        // StreamJsonRpc writes CR LF by default; the control wire, as the protocol everywhere, ends lines in LF alone.
        NewLine = NewLineStyle.Lf;
        _maxLineBytes = maxLineBytes;
        _answerBadInput = answerBadInput;
        _onNotification = onNotification;
    }

    /// <inheritdoc/>
    protected override async ValueTask<JsonRpcMessage?> ReadCoreAsync(CancellationToken cancellationToken)
    {
        PipeReader reader = Reader!;
        while (true)
        {
            ReadResult read = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            ReadOnlySequence<byte> buffer = read.Buffer;
            SequencePosition? lf = buffer.PositionOf((byte)'\n');
            if (lf is null)
            {
                if (read.IsCompleted)
                {
                    // The peer closed; a last line without its LF is not a message.
                    reader.AdvanceTo(buffer.End);
                    return null;
                }

                if (buffer.Length > _maxLineBytes)
                {
                    // Drop what came so far and everything up to the next LF; answer once, as the relay does.
                    reader.AdvanceTo(buffer.End);
                    if (!_skippingOversized)
                    {
                        _skippingOversized = true;
                        await AnswerAsync(null, JsonRpcErrorCodes.InvalidRequest, "Message too large", cancellationToken).ConfigureAwait(false);
                    }

                    continue;
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
                continue;
            }

            ReadOnlySequence<byte> line = buffer.Slice(0, lf.Value);
            bool skipped = _skippingOversized;
            _skippingOversized = false;
            JsonRpcMessage? message = null;
            try
            {
                if (!skipped && line.Length > 0 && !(line.Length == 1 && line.FirstSpan[0] == (byte)'\r'))
                {
                    if (line.Slice(line.Length - 1).FirstSpan[0] == (byte)'\r')
                    {
                        line = line.Slice(0, line.Length - 1);
                    }

                    message = await DecodeAsync(line, cancellationToken).ConfigureAwait(false);
                }
            }
            finally
            {
                reader.AdvanceTo(buffer.GetPosition(1, lf.Value));
            }

            if (message is not null)
            {
                return message;
            }
        }
    }

    // The relay's verdict first: what it would refuse is answered (or, by a client, ignored) instead of ending the connection.
    private async ValueTask<JsonRpcMessage?> DecodeAsync(ReadOnlySequence<byte> line, CancellationToken cancellationToken)
    {
        MessageInfo info = Classify(line);
        if (info.Kind == MessageKind.Invalid)
        {
            await AnswerAsync(info.Id, info.Error.Code, info.Error.Message, cancellationToken).ConfigureAwait(false);
            return null;
        }

        if (_onNotification is not null && info.Kind == MessageKind.Notification)
        {
            // Every notification, of whatever method, in order; the read waits while the taker is full (backpressure).
            await _onNotification(info.Method!, Params(line)).ConfigureAwait(false);
            return null;
        }

        if (_answerBadInput && ControlMessageCheck.Problem(info, line) is { } problem)
        {
            await AnswerAsync(info.Kind == MessageKind.Request ? info.Id : null, problem.Code, problem.Message, cancellationToken).ConfigureAwait(false);
            return null;
        }

        try
        {
            return Formatter.Deserialize(line);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or NotSupportedException or ArgumentException or FormatException)
        {
            // Whatever else StreamJsonRpc cannot read would end the connection: it costs this message only.
            await AnswerAsync(info.Kind == MessageKind.Request ? info.Id : null, JsonRpcErrorCodes.InvalidRequest, "Invalid request: " + ex.Message, cancellationToken).ConfigureAwait(false);
            return null;
        }
    }

    // The params copied out of the line (whose memory the pipe reuses); missing params are Undefined.
    private static JsonElement Params(ReadOnlySequence<byte> line)
    {
        var reader = new Utf8JsonReader(line, JsonDepth.Reader);
        using JsonDocument document = JsonDocument.ParseValue(ref reader);
        return document.RootElement.TryGetProperty("params"u8, out JsonElement value) ? value.Clone() : default;
    }

    private static MessageInfo Classify(ReadOnlySequence<byte> line) =>
        MessageClassifier.Classify(line.IsSingleSegment ? line.FirstSpan : line.ToArray());

    private async ValueTask AnswerAsync(AcpHost.Relay.Protocol.RequestId? id, int code, string message, CancellationToken cancellationToken)
    {
        if (!_answerBadInput)
        {
            return;
        }

        var error = new JsonRpcError
        {
            RequestId = id switch
            {
                null => RpcRequestId.Null,
                { IsString: true } s => new RpcRequestId(s.AsString),
                { } n => new RpcRequestId(n.AsNumber),
            },
            Error = new JsonRpcError.ErrorDetail { Code = (JsonRpcErrorCode)code, Message = message },
        };
        await WriteAsync(error, cancellationToken).ConfigureAwait(false);
    }
}
