using System.Buffers;
using AcpHost.Relay.Protocol;
using AcpHost.Storage.Transcripts;
using Microsoft.Win32.SafeHandles;

namespace AcpHost.PostMortem;

/// <summary>
/// Reads one transcript in chunks and splits it into lines, parsing only the lines a byte search marks as a
/// <c>compact_boundary</c> or an assistant message with a <c>usage</c>. Memory is one chunk, grown only while a single
/// line is longer than it; a line past <see cref="MaxLine"/> is skipped and counted rather than held.
/// Each kind of line the scan reads has a byte test and a method here (<see cref="Take"/> tries them in turn), and
/// feeds what it parsed into the file's findings, so one pass serves compactions and usage alike; every line then goes
/// to the segment reader (what each compaction's summary no longer names), told whether it was a model's answer.
/// </summary>
internal static class TranscriptFileScanner
{
    /// <summary>The longest line held whole; transcripts' longest lines are tool results of a few MB.</summary>
    public const int MaxLine = 64 * 1024 * 1024;

    private const int Chunk = 1024 * 1024;

    public static FileFindings Scan(string path, string root, ScanOptions options, Action<long>? bytesRead)
    {
        var findings = new FileFindings(path, root, options);
        try
        {
            using SafeFileHandle handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.SequentialScan);
            Read(handle, findings, bytesRead);
            findings.Segments.Finish();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            findings.Error = ex.Message;
        }

        return findings;
    }

    private static void Read(SafeFileHandle handle, FileFindings findings, Action<long>? bytesRead)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(Chunk);
        var strings = new LineStrings();
        int start = 0;
        int searched = 0;
        int end = 0;
        long number = 0;
        bool discarding = false;
        try
        {
            while (true)
            {
                if (end == buffer.Length)
                {
                    if (start > 0)
                    {
                        buffer.AsSpan(start, end - start).CopyTo(buffer);
                        end -= start;
                        searched -= start;
                        start = 0;
                    }
                    else if (buffer.Length < MaxLine)
                    {
                        byte[] larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, MaxLine));
                        buffer.AsSpan(0, end).CopyTo(larger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }
                    else
                    {
                        // One line longer than MaxLine: drop what is held and the rest of it, up to its LF.
                        if (!discarding)
                        {
                            findings.MalformedLines++;
                        }

                        discarding = true;
                        start = searched = end = 0;
                    }
                }

                int read = RandomAccess.Read(handle, buffer.AsSpan(end), findings.Bytes);
                if (read == 0)
                {
                    break;
                }

                findings.Bytes += read;
                bytesRead?.Invoke(read);
                end += read;
                int newline;
                while ((newline = buffer.AsSpan(searched, end - searched).IndexOf((byte)'\n')) >= 0)
                {
                    int lineEnd = searched + newline;
                    number++;
                    if (discarding)
                    {
                        discarding = false;
                    }
                    else
                    {
                        Take(buffer.AsSpan(start, lineEnd - start), number, findings, ref strings, lastLine: false);
                    }

                    start = searched = lineEnd + 1;
                }

                searched = end;
            }

            if (end > start && !discarding)
            {
                Take(buffer.AsSpan(start, end - start), number + 1, findings, ref strings, lastLine: true);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // Lines are numbered from 1 as an editor numbers them (blank and skipped lines too): the numbers say where the
    // turns a compaction replaced are.
    private static void Take(ReadOnlySpan<byte> line, long number, FileFindings findings, ref LineStrings strings, bool lastLine)
    {
        if (line.EndsWith("\r"u8))
        {
            line = line[..^1];
        }

        if (line.Trim(" \t"u8).IsEmpty)
        {
            return;
        }

        // A user line is neither a model's answer nor a boundary: neither is searched for in it.
        bool user = UserLine.Is(line);
        if (!user && TranscriptBoundaryParser.MayBeBoundary(line) && TakeBoundary(line, number, findings))
        {
            return;
        }

        if (!user && TranscriptUsageParser.MayHaveUsage(line))
        {
            if (TakeUsage(line, findings, ref strings))
            {
                findings.Segments.Answer();
                return;
            }
        }
        else if (lastLine && !IsJson(line))
        {
            // The last line without its LF: a writer killed mid-line. Only this one line is checked that way.
            findings.MalformedLines++;
            return;
        }

        findings.Segments.Take(line);
    }

    // True when the line was dealt with: a boundary, or malformed. A conversation line that merely mentions the
    // marker goes on to the other readers.
    private static bool TakeBoundary(ReadOnlySpan<byte> line, long number, FileFindings findings)
    {
        TranscriptBoundary? boundary;
        try
        {
            boundary = TranscriptBoundaryParser.TryParse(line);
        }
        catch (InvalidOperationException)
        {
            // Valid JSON, but a field the parser reads (cwd, say) is not UTF-8.
            findings.MalformedLines++;
            return true;
        }

        if (boundary is not null)
        {
            findings.Boundaries.Add(boundary);
            findings.FirstCwd ??= boundary.Cwd;
            findings.FirstSessionId ??= boundary.SessionId;
            findings.UsageOf(boundary.SessionId).Compacted();
            findings.Segments.Boundary(boundary, number);
            return true;
        }

        if (!IsJson(line))
        {
            findings.MalformedLines++;
            return true;
        }

        return false;
    }

    // True when the line is a model's answer in the session's own conversation (not a subagent's); its tool calls are
    // read in the same pass, for the segment reader.
    private static bool TakeUsage(ReadOnlySpan<byte> line, FileFindings findings, ref LineStrings strings)
    {
        try
        {
            if (TranscriptUsageParser.TryParse(line, ref strings, out ModelRequest request, findings.Segments.Calls))
            {
                findings.FirstCwd ??= request.Cwd;
                findings.FirstSessionId ??= request.SessionId;
                findings.UsageOf(request.SessionId).Add(request);
                return !request.Sidechain;
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            findings.MalformedLines++;
        }

        return false;
    }

    private static bool IsJson(ReadOnlySpan<byte> line)
    {
        try
        {
            var reader = new Utf8JsonReader(line, JsonDepth.Reader);
            while (reader.Read())
            {
            }

            return reader.BytesConsumed > 0;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
