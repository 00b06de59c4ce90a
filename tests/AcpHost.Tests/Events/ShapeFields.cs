using System.Globalization;
using System.Text.Json;

namespace AcpHost.Tests.Events;

/// <summary>
/// Checks that a wire shape made from a fact's record carries every field of the record with its value, except the
/// fields the shape leaves out on a written list. Used by the field-coverage tests of each fact.
/// </summary>
internal static class ShapeFields
{
    /// <summary>
    /// The top-level fields of a JSON object: strings unquoted, objects and arrays as compact JSON (so an indented shape
    /// compares equal), everything else as its raw JSON text.
    /// </summary>
    public static Dictionary<string, string> Of(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.EnumerateObject().ToDictionary(
            p => p.Name,
            p => p.Value.ValueKind switch
            {
                JsonValueKind.String => p.Value.GetString()!,
                JsonValueKind.Object or JsonValueKind.Array => JsonSerializer.Serialize(p.Value),
                _ => p.Value.GetRawText(),
            });
    }

    /// <summary>An OpenTelemetry record's attributes as text.</summary>
    public static Dictionary<string, string> Of(IEnumerable<KeyValuePair<string, object?>> attributes) =>
        attributes.ToDictionary(a => a.Key, a => Convert.ToString(a.Value, CultureInfo.InvariantCulture) ?? "");

    /// <summary>
    /// Asserts that <paramref name="shown"/> carries each of <paramref name="record"/>'s fields with the same value,
    /// under the name <paramref name="nameIn"/> gives, unless the field is in <paramref name="exclusions"/>; and that
    /// every exclusion names a field of the record (a stale one is a mistake too).
    /// </summary>
    public static void AssertCarried(
        string shape,
        Dictionary<string, string> record,
        Dictionary<string, string> shown,
        IReadOnlyDictionary<string, string> exclusions,
        Func<string, string> nameIn)
    {
        foreach ((string field, string value) in record)
        {
            if (exclusions.ContainsKey(field))
            {
                continue;
            }

            string name = nameIn(field);
            Assert.True(shown.TryGetValue(name, out string? got), $"The {shape} shape lacks the record's {field} (as {name}): carry it, or add it to the {shape} exclusions with the reason.");
            Assert.Equal(Normalise(value), Normalise(got!));
        }

        foreach (string field in exclusions.Keys)
        {
            Assert.True(record.ContainsKey(field), $"The {shape} exclusion {field} names no field of the record.");
        }
    }

    /// <summary>OpenTelemetry's attribute name for a record's field: snake case.</summary>
    public static string SnakeCase(string name) =>
        string.Concat(name.Select(c => char.IsUpper(c) ? "_" + char.ToLowerInvariant(c) : c.ToString()));

    /// <summary>Times compare as instants (the shapes write them in different formats); all else as text.</summary>
    private static string Normalise(string value) =>
        value.Contains('T', StringComparison.Ordinal)
            && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out DateTimeOffset at)
            ? at.UtcTicks.ToString(CultureInfo.InvariantCulture)
            : value;
}
