using System.Buffers;
using System.Text.Json;
using AcpHost.Relay.Protocol;
using AcpHost.Storage.Transcripts;
using Microsoft.Win32.SafeHandles;

namespace AcpHost.Features.PostMortem;

/// <summary>
/// Reads one transcript in chunks and splits it into lines, parsing only the lines a byte search marks as a
/// <c>compact_boundary</c> or an assistant message with a <c>usage</c>. Memory is one chunk, grown only while a single
/// line is longer than it; a line past <see cref="MaxLine"/> is skipped and counted rather than held.
/// </summary>
internal static class TranscriptFileScanner
{
    /// <summary>The longest line held whole; transcripts' longest lines are tool results of a few MB.</summary>
    public const int MaxLine = 64 * 1024 * 1024;

    private const int Chunk = 1024 * 1024;

    public static FileFindings Scan(string path, string root, Action<long>? bytesRead)
    {
        var findings = new FileFindings(path, root);
        try
        {
            using SafeFileHandle handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.SequentialScan);
            Read(handle, findings, bytesRead);
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
        var state = new LineState();
        int start = 0;
        int searched = 0;
        int end = 0;
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
                    if (discarding)
                    {
                        discarding = false;
                    }
                    else
                    {
                        Take(buffer.AsSpan(start, lineEnd - start), findings, ref state, lastLine: false);
                    }

                    start = searched = lineEnd + 1;
                }

                searched = end;
            }

            if (end > start && !discarding)
            {
                Take(buffer.AsSpan(start, end - start), findings, ref state, lastLine: true);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void Take(ReadOnlySpan<byte> line, FileFindings findings, ref LineState state, bool lastLine)
    {
        if (line.EndsWith("\r"u8))
        {
            line = line[..^1];
        }

        if (line.Trim(" \t"u8).IsEmpty)
        {
            return;
        }

        if (TranscriptBoundaryParser.MayBeBoundary(line))
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
                return;
            }

            if (boundary is not null)
            {
                findings.Boundaries.Add(boundary);
                findings.FirstCwd ??= boundary.Cwd;
                findings.FirstSessionId ??= boundary.SessionId;
                return;
            }

            if (!IsJson(line))
            {
                findings.MalformedLines++;
                return;
            }
        }

        if (UsageLineParser.MayHaveUsage(line))
        {
            try
            {
                if (UsageLineParser.Parse(line, ref state.Session, ref state.Cwd) is { } usage)
                {
                    findings.Usage.Add(usage);
                    findings.FirstCwd ??= usage.Cwd;
                    findings.FirstSessionId ??= usage.SessionId;
                }
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException)
            {
                findings.MalformedLines++;
            }
        }
        else if (lastLine && !IsJson(line))
        {
            // The last line without its LF: a writer killed mid-line. Only this one line is checked that way.
            findings.MalformedLines++;
        }
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

    // The strings the previous line named, shared by the next lines that say the same.
    private struct LineState
    {
        public string? Session;
        public string? Cwd;
    }
}
