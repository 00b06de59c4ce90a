using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;

namespace AcpHost.Bench.Soak;

/// <summary>
/// Newline-delimited JSON-RPC on a pair of streams for the soak's two ends: one gate for writing (so lines never
/// interleave) and a loop that hands each incoming line, parsed, to a handler.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The gate never allocates a wait handle, so there is nothing to dispose.")]
internal sealed class SoakWire(Stream input, Stream output)
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Writes one message composed by <paramref name="compose"/>, then LF, and flushes.</summary>
    public async Task WriteAsync(Action<Utf8JsonWriter> compose)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            compose(writer);
        }

        buffer.Write("\n"u8);
        await _gate.WaitAsync();
        try
        {
            await output.WriteAsync(buffer.WrittenMemory);
            await output.FlushAsync();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Closes the output: the peer sees end of input.</summary>
    public async Task CloseOutputAsync()
    {
        await _gate.WaitAsync();
        try
        {
            await output.DisposeAsync();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Reads lines until end of input, calling <paramref name="onMessage"/> for each one that parses, and
    /// <paramref name="onGarbage"/> for each one that does not. Blank lines are skipped.
    /// </summary>
    public async Task ReadAllAsync(Func<JsonElement, long, Task> onMessage, Action<string> onGarbage)
    {
        PipeReader reader = PipeReader.Create(input, new StreamPipeReaderOptions(bufferSize: 64 * 1024));
        while (true)
        {
            ReadResult result = await reader.ReadAsync();
            ReadOnlySequence<byte> buffer = result.Buffer;
            while (buffer.PositionOf((byte)'\n') is SequencePosition end)
            {
                ReadOnlySequence<byte> line = buffer.Slice(0, end);
                buffer = buffer.Slice(buffer.GetPosition(1, end));
                if (line.Length == 0)
                {
                    continue;
                }

                JsonDocument document;
                try
                {
                    document = JsonDocument.Parse(line);
                }
                catch (JsonException ex)
                {
                    onGarbage($"unparsable line of {line.Length} bytes: {ex.Message}");
                    continue;
                }

                using (document)
                {
                    await onMessage(document.RootElement, line.Length);
                }
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                await reader.CompleteAsync();
                return;
            }
        }
    }
}
