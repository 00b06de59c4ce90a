using System.Globalization;
using AcpHost.Relay.Platform;

namespace AcpHost.Relay.Relay;

/// <summary>
/// Writes every message the relay passes or originates to an NDJSON file, one record per line:
/// <c>{"ts":"2026-11-21T09:00:00.0000000Z","dir":"client->agent","msg":{...}}</c>, the message embedded as it went.
/// The file is created with mode 0600: it holds whole conversations. Each record is flushed as it is written, so a
/// trace of a host that crashed is complete up to the crash; tracing is a debugging aid and costs throughput.
/// </summary>
public sealed class MessageTrace : IDisposable
{
    /// <summary>A message from the client forwarded to the agent.</summary>
    public const string ClientToAgent = "client->agent";

    /// <summary>A message from the agent forwarded to the client.</summary>
    public const string AgentToClient = "agent->client";

    /// <summary>A message the host wrote to the agent on its own.</summary>
    public const string HostToAgent = "host->agent";

    /// <summary>A message the host wrote to the client on its own.</summary>
    public const string HostToClient = "host->client";

    /// <summary>A client message the host answered itself.</summary>
    public const string ClientToHost = "client->host";

    /// <summary>An agent message meant for the host (a response to the host's request).</summary>
    public const string AgentToHost = "agent->host";

    private readonly FileStream _file;
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private bool _disposed;

    private MessageTrace(FileStream file, TimeProvider time)
    {
        _file = file;
        _time = time;
    }

    /// <summary>Opens (appending) or creates the trace file, readable and writable by its owner only.</summary>
    public static MessageTrace Open(string path, TimeProvider? time = null)
    {
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        // No-follow, and the mode of an existing file tightened on its descriptor: a symlink planted at the trace path
        // must neither receive the messages nor have its target chmod-ed.
        FileStream file = OwnFiles.OpenNoFollow(path, FileAccess.Write, append: true, bufferSize: 64 * 1024);
        return new MessageTrace(file, time ?? TimeProvider.System);
    }

    /// <summary>Records one message (a complete JSON value, no line ending).</summary>
    public void Record(string direction, ReadOnlySpan<byte> message)
    {
        Span<byte> timestamp = stackalloc byte[40];
        _time.GetUtcNow().UtcDateTime.TryFormat(timestamp, out int written, "O", CultureInfo.InvariantCulture);
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _file.Write("{\"ts\":\""u8);
            _file.Write(timestamp[..written]);
            _file.Write("\",\"dir\":\""u8);
            WriteAscii(direction);
            _file.Write("\",\"msg\":"u8);
            _file.Write(message);
            _file.Write("}\n"u8);
            _file.Flush();
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _file.Dispose();
        }
    }

    private void WriteAscii(string text)
    {
        Span<byte> bytes = stackalloc byte[text.Length];
        for (int i = 0; i < text.Length; i++)
        {
            bytes[i] = (byte)text[i];
        }

        _file.Write(bytes);
    }
}
