using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.IO.Pipelines;
using AcpHost.Relay.Protocol;
using Nerdbank.Streams;
using StreamJsonRpc;
using StreamJsonRpc.Protocol;

namespace AcpHost.Control;

/// <summary>
/// One JSON-RPC connection of the control plane, built the same way for the host's endpoint, the <c>ps</c>/<c>fork</c>/
/// <c>watch</c> client and the tests' doubles: StreamJsonRpc over the socket as a duplex pipe (Nerdbank.Streams), lines
/// framed by <see cref="ControlLineHandler"/> (LF written, every line capped) and encoded by StreamJsonRpc's
/// System.Text.Json formatter with <see cref="ControlJsonContext"/> as its only source of type information.
/// Handlers are registered by explicit name on delegates (no proxies, no reflection over targets), so it runs in the
/// trimmed host with dynamic code off. StreamJsonRpc's default dispatch is kept: one message at a time in arrival order,
/// so events reach a subscriber in the order the host sent them.
/// </summary>
internal sealed class ControlRpc : JsonRpc
{
    private ControlRpc(ControlLineHandler handler)
        : base(handler)
    {
        // StreamJsonRpc's default trace source writes warnings to the default listener; the host logs through Serilog.
        TraceSource = new TraceSource("AcpHost.Control", SourceLevels.Off);
        TraceSource.Listeners.Clear();
    }

    /// <summary>
    /// Wraps <paramref name="stream"/> (a connected socket's stream, owned from now on). Lines longer than
    /// <paramref name="maxLineBytes"/> are skipped; with <paramref name="answerBadInput"/> (the endpoint) each bad line
    /// is answered with the JSON-RPC error for it, otherwise (a client) it is ignored. Register handlers, then call
    /// <see cref="JsonRpc.StartListening"/>.
    /// </summary>
    /// <param name="stream">The connection.</param>
    /// <param name="maxLineBytes">The longest line read.</param>
    /// <param name="answerBadInput">Answer bad lines with their error (an endpoint) or ignore them (a client).</param>
    /// <param name="onNotification">Given every notification received, in order, instead of a registered handler.</param>
    public static ControlRpc Create(Stream stream, long maxLineBytes, bool answerBadInput, Func<string, JsonElement, ValueTask>? onNotification = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        // Backpressure instead of a queue: a peer that does not read stops our writes at 1 MiB, our reads stop at the line cap.
        IDuplexPipe pipe = stream.UsePipe(pipeOptions: new PipeOptions(pauseWriterThreshold: maxLineBytes + 1, resumeWriterThreshold: maxLineBytes / 2));
        return new ControlRpc(new ControlLineHandler(pipe, CreateFormatter(), maxLineBytes, answerBadInput, onNotification));
    }

    /// <summary>Error data is read as it came (<see cref="JsonElement"/>), never into a type the context does not know.</summary>
    protected override Type? GetErrorDetailsDataType(JsonRpcError error) => typeof(JsonElement);

    // The formatter as a whole is marked as needing unreferenced code and dynamic code because it can serialize any
    // user type by reflection and build converters for IProgress<T>, IAsyncEnumerable<T> and marshalable objects with
    // MakeGenericType. The control plane gives it a source-generated context as its only resolver, and its messages carry
    // none of those exotic types, so neither path is reached: the trimmed, dynamic-code-off host is checked by the
    // ControlPlane end-to-end tests (ps, fork, watch against a published-style run).
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Only ControlJsonContext's source-generated types are serialized; no reflection-based serialization is reached.")]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "No IProgress<T>, IAsyncEnumerable<T> or marshalable object crosses the control wire, so no generic type is closed at run time.")]
    private static SystemTextJsonFormatter CreateFormatter() => new()
    {
        JsonSerializerOptions = new JsonSerializerOptions { TypeInfoResolver = ControlJsonContext.Default, MaxDepth = JsonDepth.Max },
    };
}
