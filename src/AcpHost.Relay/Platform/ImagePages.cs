using System.Globalization;
using System.Runtime.InteropServices;

namespace AcpHost.Relay.Platform;

/// <summary>
/// Gives the kernel back the pages of the program's own files that are mapped but no longer used: the code and
/// read-only data that only start-up ran and read (the generic host's wiring, configuration binding, the compressed
/// type data a native build expands into memory at start, the relocations the loader applied). Until the kernel
/// reclaims them under memory pressure they stay counted in the process's resident memory; released, those used again
/// come back from the page cache on first touch, as at start.
/// </summary>
/// <remarks>
/// Only mappings that cannot hold anything but the file's own bytes are released: private, not writable, with no
/// anonymous page (no page the process changed, whose change would be lost), and backed by a file in the folder
/// given. That folder is the program's own: its files are mapped by the loader or the runtime at start and never
/// unmapped, so no mapping can be unmapped between the listing and the advice and its range reused for memory the
/// process writes. For such a mapping <c>madvise(MADV_DONTNEED)</c> only drops the pages from the process; the next
/// read of one maps it again from the file. Linux only: elsewhere <see cref="Release"/> releases nothing.
/// </remarks>
public static partial class ImagePages
{
    private const int MadviseDontNeed = 4;

    /// <summary>Releases the clean pages of the files in <paramref name="directory"/> mapped into this process.</summary>
    public static ImagePagesReleased Release(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (!OperatingSystem.IsLinux())
        {
            return default;
        }

        string prefix = Path.TrimEndingDirectorySeparator(directory) + "/";
        int mappings = 0;
        long bytes = 0;
        foreach (Mapping mapping in Read(File.ReadAllLines("/proc/self/smaps")))
        {
            if (!mapping.IsCleanFileOf(prefix))
            {
                continue;
            }

            if (Advise((nint)mapping.Start, (nuint)(mapping.End - mapping.Start), MadviseDontNeed) == 0)
            {
                mappings++;
                bytes += mapping.ResidentBytes;
            }
        }

        return new ImagePagesReleased(mappings, bytes);
    }

    /// <summary>The mappings of an smaps listing: each header line, then its "Name: value kB" lines.</summary>
    internal static IEnumerable<Mapping> Read(IEnumerable<string> lines)
    {
        Mapping? current = null;
        foreach (string line in lines)
        {
            if (Mapping.TryParseHeader(line) is { } header)
            {
                if (current is not null)
                {
                    yield return current;
                }

                current = header;
            }
            else if (current is not null)
            {
                current.ReadField(line);
            }
        }

        if (current is not null)
        {
            yield return current;
        }
    }

    [LibraryImport("libc", EntryPoint = "madvise", SetLastError = true)]
    private static partial int Advise(nint address, nuint length, int advice);

    /// <summary>One mapping of smaps: its range, permissions, file and the two counts that decide.</summary>
    internal sealed class Mapping
    {
        private Mapping(ulong start, ulong end, string permissions, string path)
        {
            Start = start;
            End = end;
            Permissions = permissions;
            Path = path;
        }

        public ulong Start { get; }

        public ulong End { get; }

        public string Permissions { get; }

        public string Path { get; }

        public long ResidentBytes { get; private set; }

        /// <summary>Null until read: a listing without the line counts as changed pages, never as clean.</summary>
        public long? AnonymousBytes { get; private set; }

        public bool IsCleanFileOf(string prefix) =>
            Permissions is [_, '-', _, 'p']
            && Path.StartsWith(prefix, StringComparison.Ordinal)
            && !Path.EndsWith(" (deleted)", StringComparison.Ordinal)
            && AnonymousBytes == 0
            && ResidentBytes > 0;

        // "start-end perms offset dev inode path", the path missing for anonymous memory.
        public static Mapping? TryParseHeader(string line)
        {
            string[] parts = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 5 || parts[0].IndexOf('-') is not (> 0 and var dash) || parts[1].Length != 4
                || !ulong.TryParse(parts[0].AsSpan(0, dash), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong start)
                || !ulong.TryParse(parts[0].AsSpan(dash + 1), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong end)
                || end <= start)
            {
                return null;
            }

            return new Mapping(start, end, parts[1], parts.Length == 6 ? parts[5].Trim() : "");
        }

        public void ReadField(string line)
        {
            if (line.StartsWith("Rss:", StringComparison.Ordinal))
            {
                ResidentBytes = Kilobytes(line, "Rss:".Length) ?? 0;
            }
            else if (line.StartsWith("Anonymous:", StringComparison.Ordinal))
            {
                AnonymousBytes = Kilobytes(line, "Anonymous:".Length);
            }
        }

        private static long? Kilobytes(string line, int from)
        {
            ReadOnlySpan<char> value = line.AsSpan(from).Trim();
            if (value.EndsWith(" kB", StringComparison.Ordinal))
            {
                value = value[..^3];
            }

            return long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long kilobytes) ? kilobytes * 1024 : null;
        }
    }
}

/// <summary>What <see cref="ImagePages.Release"/> gave back: how many mappings, and their resident bytes before.</summary>
public readonly record struct ImagePagesReleased(int Mappings, long Bytes);
