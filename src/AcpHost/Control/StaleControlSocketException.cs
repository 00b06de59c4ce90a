namespace AcpHost.Control;

/// <summary>
/// Nobody listens on a control socket path: the socket file was left by a host that died (<c>ECONNREFUSED</c>) or is
/// already gone (<c>ENOENT</c>). Not a failure for callers that look for live hosts: they skip the socket.
/// </summary>
internal sealed class StaleControlSocketException : IOException
{
    /// <summary>Creates the exception.</summary>
    public StaleControlSocketException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public StaleControlSocketException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public StaleControlSocketException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for <paramref name="socketPath"/>.</summary>
    public StaleControlSocketException(string socketPath, System.Net.Sockets.SocketException innerException)
        : base($"No host listens on {socketPath} (a stale socket): {innerException?.Message}", innerException)
    {
        SocketPath = socketPath;
    }

    /// <summary>The socket path that refused the connection.</summary>
    public string? SocketPath { get; }
}
