using AcpHost.Control;

namespace AcpHost.Cli;

/// <summary>
/// <c>acphost ps --json</c>: an array with one object per host, the fields of its <c>host/status</c> answer
/// (<see cref="HostStatus"/>, sessions included) followed by <c>"socket"</c>, the control socket it answered on, which
/// is what another program connects to.
/// </summary>
internal static class HostJson
{
    /// <summary>The JSON text (indented) for <paramref name="hosts"/>.</summary>
    public static string Write(IReadOnlyList<(string SocketPath, HostStatus Status)> hosts) => CliJson.Array(hosts, (json, host) =>
    {
        foreach (JsonProperty field in JsonSerializer.SerializeToElement(host.Status, ControlJsonContext.Default.HostStatus).EnumerateObject())
        {
            field.WriteTo(json);
        }

        json.WriteString("socket", host.SocketPath);
    });
}
