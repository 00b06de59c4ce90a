using System.IO.Pipelines;
using System.Buffers;
using AcpHost.Relay.Protocol;
using AcpHost.Relay.Transport;

namespace AcpHost.Hosting;

/// <summary>
/// When the agent cannot be started at all, the editor has usually already sent <c>initialize</c>. Rather than
/// leave it waiting, the host answers every request that arrives within a short window with the reason, then exits.
/// </summary>
internal sealed class StartupFailureResponder(PipeReader clientInput, PipeWriter clientOutput, string reason) : ILineHandler
{
    private readonly LineWriter _toClient = new(clientOutput);

    /// <summary>Answers requests until the client closes its input or <paramref name="window"/> has passed.</summary>
    public async Task RespondAsync(TimeSpan window)
    {
        using var stop = new CancellationTokenSource(window);
        Task pump = LinePump.RunAsync(clientInput, new LineFramer(64L * 1024 * 1024), this, stop.Token);

        // A read of the process's stdin may not notice cancellation; the window is enforced here instead.
        await Task.WhenAny(pump, Task.Delay(window, CancellationToken.None)).ConfigureAwait(false);
        await _toClient.CompleteAsync().ConfigureAwait(false);
    }

    public async ValueTask<bool> OnLineAsync(ReadOnlyMemory<byte> line, CancellationToken cancellationToken)
    {
        MessageInfo info = MessageClassifier.Classify(line.Span);
        if (info.Kind != MessageKind.Request)
        {
            return true;
        }

        var buffer = new ArrayBufferWriter<byte>(256);
        JsonRpcWriter.WriteError(buffer, info.Id, JsonRpcErrorCodes.InternalError, reason);
        return await _toClient.WriteLineAsync(buffer.WrittenMemory, flush: true, cancellationToken).ConfigureAwait(false);
    }

    public ValueTask<bool> OnOversizedAsync(CancellationToken cancellationToken) => ValueTask.FromResult(true);

    public ValueTask<bool> OnDrainedAsync(CancellationToken cancellationToken) => ValueTask.FromResult(true);
}
