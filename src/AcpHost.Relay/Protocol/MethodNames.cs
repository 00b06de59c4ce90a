using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;

namespace AcpHost.Relay.Protocol;

/// <summary>
/// Turns a method name into a string without allocating for names seen before: a session streams thousands of
/// <c>session/update</c> notifications, and each would otherwise cost a new string.
/// </summary>
internal static class MethodNames
{
    // Bounded so that a peer inventing a new method name per message cannot grow the cache without limit.
    private const int MaxEntries = 512;
    private const int MaxCachedLength = 128;
    private const int RecentSlots = 64;

    private static readonly ConcurrentDictionary<string, string> Cache = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> Lookup =
        Cache.GetAlternateLookup<ReadOnlySpan<char>>();

    // In front of the dictionary, names by their UTF-8 bytes: a hit is one short byte comparison, with no transcoding
    // and no string hashing. Each slot holds an immutable entry, so the two pumps may race on it harmlessly.
    private static readonly Entry?[] Recent = new Entry?[RecentSlots];

    /// <summary>The name in a reader's current string token.</summary>
    public static string Get(ref Utf8JsonReader reader)
    {
        if (reader.ValueIsEscaped || reader.HasValueSequence)
        {
            return reader.GetString()!;
        }

        return Get(reader.ValueSpan);
    }

    /// <summary>The name whose unescaped UTF-8 bytes are <paramref name="utf8"/> (valid UTF-8).</summary>
    public static string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxCachedLength)
        {
            return Encoding.UTF8.GetString(utf8);
        }

        int slot = Slot(utf8);
        if (Recent[slot] is { } recent && utf8.SequenceEqual(recent.Utf8))
        {
            return recent.Name;
        }

        string name = Intern(utf8);
        Recent[slot] = new Entry(utf8.ToArray(), name);
        return name;
    }

    private static string Intern(ReadOnlySpan<byte> utf8)
    {
        Span<char> chars = stackalloc char[MaxCachedLength];
        int count = Encoding.UTF8.GetChars(utf8, chars);
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

    // Length and the last two bytes tell apart the names of one protocol well enough ("session/update", "…/prompt").
    private static int Slot(ReadOnlySpan<byte> utf8) =>
        utf8.IsEmpty ? 0 : (utf8.Length * 31 + utf8[^1] * 7 + utf8[utf8.Length / 2]) & (RecentSlots - 1);

    private sealed record Entry(byte[] Utf8, string Name);
}
