using System.Text.Json;
using AcpHost.Acp;
using AcpHost.Relay.Protocol;
using BenchmarkDotNet.Attributes;

namespace AcpHost.MicroBench;

/// <summary>
/// <see cref="MessageClassifier.Classify(ReadOnlySpan{byte}, LineTemplate)"/> on typical lines, against a bare <see cref="Utf8JsonReader"/> walk of the
/// same line (what the classifier cost before its own scanner: it is the floor for any reader-based approach).
/// </summary>
public class ClassifyBenchmarks
{
    [Params("chunk-200B", "prompt", "response", "tool-64KiB")]
    public string Line { get; set; } = "chunk-200B";

    private byte[] _line = [];

    [GlobalSetup]
    public void Setup() => _line = Line switch
    {
        "chunk-200B" => Samples.Chunk,
        "prompt" => Samples.Prompt,
        "response" => Samples.Response,
        _ => Samples.Large,
    };

    [Benchmark]
    // With ACP's text-chunk template, as the relay classifies every line it is given (Acp/AcpDialect.cs).
    public MessageKind Classify() => MessageClassifier.Classify(_line, AcpDialect.TextChunk).Kind;

    [Benchmark(Baseline = true)]
    public int ReaderWalk()
    {
        // Every token visited, as Skip() does: the work the reader-based classifier could not avoid.
        var reader = new Utf8JsonReader(_line, new JsonReaderOptions { MaxDepth = 512 });
        int tokens = 0;
        while (reader.Read())
        {
            tokens++;
        }

        return tokens;
    }
}
