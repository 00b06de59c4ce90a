using System.Text.Unicode;

namespace AcpHost.Bench.Driver;

/// <summary>
/// Formats the driver's requests into reused buffers. Every request gets a fresh string id <c>"bN"</c>; that id, quotes
/// included, is the marker <see cref="ResponseReader"/> looks for, and no notification text can contain it.
/// </summary>
internal sealed class BenchRequests
{
    private const string InitializeParams =
        """{"protocolVersion":1,"clientCapabilities":{"fs":{"readTextFile":false,"writeTextFile":false},"terminal":false},"clientInfo":{"name":"acphost-bench","version":"1.0.0"}}""";

    private const string SessionNewParams = """{"cwd":"/tmp","mcpServers":[]}""";

    private readonly byte[] _line = new byte[512];
    private readonly byte[] _marker = new byte[32];
    private long _nextId;

    /// <summary>The <c>initialize</c> request an editor sends first.</summary>
    public BenchRequest Initialize() => Format("initialize", InitializeParams, 0, 0);

    /// <summary>A <c>bench/ping</c>, answered at once with an empty result.</summary>
    public BenchRequest Ping() => Format("bench/ping", null, 0, 0);

    /// <summary>A <c>bench/flood</c> of <paramref name="count"/> notifications of <paramref name="size"/> bytes each.</summary>
    public BenchRequest Flood(long count, int size) => Format("bench/flood", null, count, size);

    /// <summary>A <c>session/new</c>; the fake agent answers with its one session.</summary>
    public BenchRequest SessionNew() => Format("session/new", SessionNewParams, 0, 0);

    /// <summary>Turn <paramref name="turn"/> of a conversation: a <c>session/prompt</c> with a line of text.</summary>
    public BenchRequest Prompt(long turn) =>
        Format("session/prompt", $$$"""{"sessionId":"{{{Agent.PromptTurn.SessionId}}}","prompt":[{"type":"text","text":"Turn {{{turn}}}: carry on with the change we discussed and tell me what you did."}]}""", 0, 0);

    private BenchRequest Format(string method, string? parameters, long count, int size)
    {
        long id = ++_nextId;
        bool ok = method == "bench/flood"
            ? Utf8.TryWrite(_line, $$$"""{"jsonrpc":"2.0","id":"b{{{id}}}","method":"{{{method}}}","params":{"count":{{{count}}},"size":{{{size}}}}}""", out int length)
            : Utf8.TryWrite(_line, $$$"""{"jsonrpc":"2.0","id":"b{{{id}}}","method":"{{{method}}}","params":{{{parameters ?? "{}"}}}}""", out length);
        ok &= length < _line.Length;
        ok &= Utf8.TryWrite(_marker, $"\"b{id}\"", out int markerLength);
        if (!ok)
        {
            throw new InvalidOperationException("a request did not fit its buffer");
        }

        _line[length++] = (byte)'\n';
        return new BenchRequest(_line.AsMemory(0, length), _marker.AsMemory(0, markerLength));
    }
}
