using System.Buffers;
using AcpHost.Events;
using AcpHost.Relay.Protocol;
using AcpHost.Relay.Transport;

namespace AcpHost.Features.Control;

/// <summary>One control connection's lines: each request dispatched, each answer written through the connection's writer.</summary>
internal sealed class ControlConnection(ControlRequestHandler handler, LineWriter writer, CancellationTokenSource lifetime) : ILineHandler
{
    private Task? _events;

    public async ValueTask<bool> OnLineAsync(ReadOnlyMemory<byte> line, CancellationToken cancellationToken)
    {
        MessageInfo info = MessageClassifier.Classify(line.Span);
        if (info.Kind == MessageKind.Invalid)
        {
            return await ErrorAsync(info.Id, info.Error.Code, info.Error.Message, cancellationToken).ConfigureAwait(false);
        }

        if (info.Kind != MessageKind.Request)
        {
            return true;
        }

        RequestId id = info.Id!.Value;
        switch (info.Method)
        {
            case ControlMethods.Status:
                byte[] status = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(handler.Status(), ControlJsonContext.Default.HostStatus);
                return await ReplyAsync(id, status, isError: false, cancellationToken).ConfigureAwait(false);
            case ControlMethods.Fork:
                (byte[] json, bool isError) = await handler.ForkAsync(line, cancellationToken).ConfigureAwait(false);
                return await ReplyAsync(id, json, isError, cancellationToken).ConfigureAwait(false);
            case ControlMethods.Subscribe:
                // Subscribed before the reply goes out, so no event published after the reply is missed.
                if (_events is null)
                {
                    HostEventBus.Subscription subscription = handler.Events.Subscribe();
                    _events = Task.Run(() => PumpEventsAsync(subscription), CancellationToken.None);
                }

                return await ReplyAsync(id, "{}"u8.ToArray(), isError: false, cancellationToken).ConfigureAwait(false);
            default:
                return await ErrorAsync(id, JsonRpcErrorCodes.MethodNotFound, $"Method not found: {info.Method}", cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask<bool> OnOversizedAsync(CancellationToken cancellationToken) =>
        await ErrorAsync(null, JsonRpcErrorCodes.InvalidRequest, "Message too large", cancellationToken).ConfigureAwait(false);

    public ValueTask<bool> OnDrainedAsync(CancellationToken cancellationToken) => ValueTask.FromResult(true);

    public async Task StopEventsAsync()
    {
        if (_events is not null)
        {
            await _events.ConfigureAwait(false);
        }
    }

    private async Task PumpEventsAsync(HostEventBus.Subscription subscription)
    {
        using HostEventBus.Subscription owned = subscription;

        // A subscriber cut off for lagging is usually stuck in a write to a peer that reads nothing: end the whole
        // connection rather than wait for that write to come back.
        using CancellationTokenRegistration dropped = subscription.Dropped.Register(() =>
        {
            ControlRequestHandler.SubscriberDropped(handler.Log);
            lifetime.Cancel();
        });
        try
        {
            await foreach (HostEvent hostEvent in subscription.Reader.ReadAllAsync(lifetime.Token).ConfigureAwait(false))
            {
                if (ControlEventLines.ToLine(hostEvent) is { } message
                    && !await writer.WriteLineAsync(message, flush: true, lifetime.Token).ConfigureAwait(false))
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
        {
            // Cut off (logged above) or the connection closed.
        }
    }

    private async ValueTask<bool> ReplyAsync(RequestId id, byte[] json, bool isError, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(json.Length + 64);
        JsonRpcWriter.WriteResponse(buffer, id, json, isError);
        return await writer.WriteLineAsync(buffer.WrittenMemory, flush: true, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<bool> ErrorAsync(RequestId? id, int code, string message, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        JsonRpcWriter.WriteError(buffer, id, code, message);
        return await writer.WriteLineAsync(buffer.WrittenMemory, flush: true, cancellationToken).ConfigureAwait(false);
    }
}
