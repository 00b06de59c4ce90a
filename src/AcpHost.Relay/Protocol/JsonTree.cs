using System.Text.Json;
using System.Text.Json.Nodes;

namespace AcpHost.Relay.Protocol;

/// <summary>
/// Reads a line into a tree that can be edited and written back, as JavaScript's <c>JSON.parse</c> reads it: a key that
/// repeats keeps its first place and its last value, and nesting goes as deep as the relay accepts
/// (<see cref="JsonDepth.Max"/>). <see cref="JsonNode.Parse(ReadOnlySpan{byte}, JsonNodeOptions?, JsonDocumentOptions)"/>
/// throws on a repeated key instead, so a message the agent reads without trouble would be skipped by the feature
/// that meant to edit it.
/// </summary>
public static class JsonTree
{
    /// <summary>The tree of one JSON value; throws <see cref="JsonException"/> when the text is not JSON.</summary>
    public static JsonNode? Parse(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8, JsonDepth.Reader);
        using JsonDocument document = JsonDocument.ParseValue(ref reader);
        return From(document.RootElement.Clone());
    }

    private static JsonNode? From(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var obj = new JsonObject();
                foreach (JsonProperty property in element.EnumerateObject())
                {
                    // The indexer replaces a value already there in its place: first place, last value.
                    obj[property.Name] = From(property.Value);
                }

                return obj;
            case JsonValueKind.Array:
                var array = new JsonArray();
                foreach (JsonElement item in element.EnumerateArray())
                {
                    array.Add(From(item));
                }

                return array;
            case JsonValueKind.Null:
                return null;
            default:
                // Numbers keep their text (no trip through double), strings their value.
                return JsonValue.Create(element);
        }
    }
}
