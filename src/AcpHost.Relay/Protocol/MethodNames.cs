using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;

namespace AcpHost.Relay.Protocol;

/// <summary>
/// Turns a method name token into a string without allocating for names seen before: a session streams thousands
/// of <c>session/update</c> notifications, and each would otherwise cost a new string.
/// </summary>
internal static class MethodNames
{
    // Bounded so that a peer inventing a new method name per message cannot grow the cache without limit.
    private const int MaxEntries = 512;
    private const int MaxCachedLength = 128;

    private static readonly ConcurrentDictionary<string, string> Cache = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> Lookup =
        Cache.GetAlternateLookup<ReadOnlySpan<char>>();

    public static string Get(ref Utf8JsonReader reader)
    {
        if (reader.ValueIsEscaped || reader.HasValueSequence || reader.ValueSpan.Length > MaxCachedLength)
        {
            return reader.GetString()!;
        }

        ReadOnlySpan<byte> utf8 = reader.ValueSpan;
        Span<char> chars = stackalloc char[MaxCachedLength];
        if (!Encoding.UTF8.TryGetChars(utf8, chars, out int count))
        {
            return reader.GetString()!;
        }

        ReadOnlySpan<char> name = chars[..count];
        if (Lookup.TryGetValue(name, out string? cached))
        {
            return cached;
        }

        string created = new(name);
        if (Cache.Count < MaxEntries)
        {
            Cache.TryAdd(created, created);
        }

        return created;
    }
}
