using System.IO.Pipelines;

namespace AcpHost.Relay.Transport;

/// <summary>
/// The reader of a <see cref="ReaderThread"/>'s pipe, which also says when the stream behind it ended. The relay needs
/// that apart from reading: its pump can be stuck writing to an agent that stopped reading, and the client's end of
/// input must still start the shutdown (otherwise the host never exits and the agent is left running).
/// </summary>
internal sealed class EndAwarePipeReader(PipeReader inner, Task ended) : PipeReader, IInputEnd
{
    /// <inheritdoc/>
    public Task Ended => ended;

    /// <inheritdoc/>
    public override void AdvanceTo(SequencePosition consumed) => inner.AdvanceTo(consumed);

    /// <inheritdoc/>
    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined) => inner.AdvanceTo(consumed, examined);

    /// <inheritdoc/>
    public override void CancelPendingRead() => inner.CancelPendingRead();

    /// <inheritdoc/>
    public override void Complete(Exception? exception = null) => inner.Complete(exception);

    /// <inheritdoc/>
    public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);

    /// <inheritdoc/>
    public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default) => inner.ReadAsync(cancellationToken);

    /// <inheritdoc/>
    public override bool TryRead(out ReadResult result) => inner.TryRead(out result);
}
