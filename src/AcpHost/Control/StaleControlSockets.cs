using System.Globalization;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace AcpHost.Control;

/// <summary>
/// The control sockets of hosts that died: removed by the next host to start, so <c>acphost ps</c> never lists a host
/// that is gone. A socket is stale when its process no longer exists or nothing listens on it.
/// </summary>
internal static partial class StaleControlSockets
{
    /// <summary>Removes sockets whose host is gone: its process no longer exists, or nothing answers on it.</summary>
    public static void Remove(string folder, ILogger log)
    {
        IEnumerable<string> sockets;
        try
        {
            sockets = [.. Directory.EnumerateFiles(folder, "*.sock")];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return;
        }

        foreach (string socket in sockets)
        {
            if (int.TryParse(Path.GetFileNameWithoutExtension(socket), NumberStyles.None, CultureInfo.InvariantCulture, out int pid)
                && pid != Environment.ProcessId
                && Directory.Exists("/proc/" + pid.ToString(CultureInfo.InvariantCulture))
                && Answers(socket))
            {
                continue;
            }

            if (pid != Environment.ProcessId)
            {
                try
                {
                    File.Delete(socket);
                    StaleSocketRemoved(log, socket);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // Gone already, or not ours to remove: the CLI skips it either way.
                }
            }
        }
    }

    /// <summary>
    /// Whether a host listens on <paramref name="socket"/>. The connect never waits: a host that is stopped (SIGSTOP)
    /// with a full backlog would hold a blocking one for ever; its kernel says "would block", which means someone listens.
    /// </summary>
    private static bool Answers(string socket)
    {
        try
        {
            using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified) { Blocking = false };
            probe.Connect(new UnixDomainSocketEndPoint(socket));
            return true;
        }
        catch (SocketException ex)
        {
            return ex.SocketErrorCode is SocketError.WouldBlock or SocketError.InProgress or SocketError.TryAgain;
        }
    }

    [LoggerMessage(EventId = 503, Level = LogLevel.Information, Message = "Removed the stale control socket {Path} of a host that is gone")]
    private static partial void StaleSocketRemoved(ILogger logger, string path);
}
