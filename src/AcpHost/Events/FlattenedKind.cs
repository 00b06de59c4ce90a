using System.Text.Json.Serialization;

namespace AcpHost.Events;

/// <summary>One kind of specific (files, commands, URLs, tool errors) in the turns a compaction replaced.</summary>
public sealed record FlattenedKind
{
    /// <summary>The most dropped specifics a record lists per kind; the counts go on past it.</summary>
    public const int MaxListed = 50;

    /// <summary>Nothing of this kind.</summary>
    public static FlattenedKind None { get; } = new() { Seen = 0, Dropped = 0, Items = [] };

    /// <summary>How many distinct ones the replaced turns used.</summary>
    [JsonPropertyName("seen")]
    public required int Seen { get; init; }

    /// <summary>How many of those neither the summary names nor the context still holds.</summary>
    [JsonPropertyName("dropped")]
    public required int Dropped { get; init; }

    /// <summary>The dropped ones, most used first, at most <see cref="MaxListed"/>.</summary>
    [JsonPropertyName("items")]
    public required IReadOnlyList<FlattenedItem> Items { get; init; }

    /// <summary>
    /// True when the turns used more distinct ones than the reader keeps (it keeps memory bounded): those past the
    /// cap are neither counted nor checked, so <see cref="Seen"/> and <see cref="Dropped"/> are lower bounds.
    /// </summary>
    [JsonPropertyName("capped")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Capped { get; init; }
}
