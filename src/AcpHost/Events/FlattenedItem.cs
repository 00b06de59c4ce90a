using System.Text.Json.Serialization;

namespace AcpHost.Events;

/// <summary>One specific the summary no longer names: a file path, a command line, a URL or a tool's name.</summary>
public sealed record FlattenedItem
{
    /// <summary>The specific as the transcript wrote it (a path as the tool was given it; a command on one line).</summary>
    [JsonPropertyName("name")]
    public required string Name { get; init; }

    /// <summary>How often the replaced turns used it (tool calls, or failed calls for a tool).</summary>
    [JsonPropertyName("uses")]
    public required int Uses { get; init; }
}
