using System.Net;
using System.Net.Sockets;

namespace AcpHost.EndToEnd.Tests.Otlp;

/// <summary>A collector that is not there: an endpoint whose port nothing listens on, so connections are refused at once.</summary>
public static class ClosedCollector
{
    /// <summary>An endpoint on a port taken from the system, then let go.</summary>
    public static string Endpoint()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return "http://127.0.0.1:" + port;
    }
}
