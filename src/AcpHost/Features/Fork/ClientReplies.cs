using System.Buffers;
using AcpHost.Relay.Protocol;
using AcpHost.Relay.Relay;

namespace AcpHost.Features.Fork;

/// <summary>The replies the host writes itself to client requests it answers.</summary>
internal static class ClientReplies
{
    public static ValueTask<bool> ResultAsync(IRelayOutlet outlet, RequestId id, Action<Utf8JsonWriter> writeResult, CancellationToken cancellationToken) =>
        SendAsync(outlet, id, JsonRpcWriter.ToBytes(writeResult), isError: false, cancellationToken);

    public static ValueTask<bool> ErrorAsync(IRelayOutlet outlet, RequestId id, JsonElement error, CancellationToken cancellationToken) =>
        SendAsync(outlet, id, JsonSerializer.SerializeToUtf8Bytes(error, Acp.AcpJsonContext.Default.JsonElement), isError: true, cancellationToken);

    public static ValueTask<bool> ErrorAsync(IRelayOutlet outlet, RequestId id, int code, string message, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        JsonRpcWriter.WriteError(buffer, id, code, message);
        return outlet.SendToClientAsync(buffer.WrittenMemory, cancellationToken);
    }

    /// <summary>
    /// The error for a request whose answer was cut short by the relay stopping. Its own time is bounded: the client
    /// may have stopped reading, and the relay waits for this answer only so long.
    /// </summary>
    public static async ValueTask StoppingAsync(IRelayOutlet outlet, RequestId id)
    {
        using var bounded = new CancellationTokenSource(StoppingWriteTimeout);
        try
        {
            await ErrorAsync(outlet, id, JsonRpcRelay.ShuttingDown.Code, JsonRpcRelay.ShuttingDown.Message, bounded.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (bounded.IsCancellationRequested)
        {
            // The client is not reading; nobody is left to tell.
        }
    }

    private static readonly TimeSpan StoppingWriteTimeout = TimeSpan.FromSeconds(1);

    private static ValueTask<bool> SendAsync(IRelayOutlet outlet, RequestId id, ReadOnlySpan<byte> json, bool isError, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(json.Length + 64);
        JsonRpcWriter.WriteResponse(buffer, id, json, isError);
        return outlet.SendToClientAsync(buffer.WrittenMemory, cancellationToken);
    }
}
