using System.Text.Json;

namespace AcpHost.Relay.Protocol;

/// <summary>
/// How deeply a line may nest: one limit, in this one place, for every reader of a line the relay handles. The
/// classifier refuses a deeper line (<c>-32700</c>, bad-input C35); every other reader (the features' decoders, a
/// host request's response, the control wire) reads as deep as that, so a line the relay accepted is never skipped
/// further on as unreadable. <c>JSON.parse</c> has no such limit; 512 is far beyond any message an ACP peer writes.
/// </summary>
public static class JsonDepth
{
    /// <summary>The deepest nesting accepted, the top-level object counting as one.</summary>
    public const int Max = 512;

    /// <summary>Reader options with <see cref="Max"/>.</summary>
    public static JsonReaderOptions Reader => new() { MaxDepth = Max };

    /// <summary>Document options with <see cref="Max"/>.</summary>
    public static JsonDocumentOptions Document => new() { MaxDepth = Max };
}
