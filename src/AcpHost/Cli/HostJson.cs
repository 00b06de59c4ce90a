using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using AcpHost.Features.Control;

namespace AcpHost.Cli;

/// <summary>
/// <c>acphost ps --json</c>: an array with one object per host, the fields of its <c>host/status</c> answer
/// (<see cref="HostStatus"/>, sessions included) followed by <c>"socket"</c>, the control socket it answered on, which
/// is what another program connects to.
/// </summary>
internal static class HostJson
{
    /// <summary>The JSON text (indented) for <paramref name="hosts"/>.</summary>
    public static string Write(IReadOnlyList<(string SocketPath, HostStatus Status)> hosts)
    {
        var buffer = new ArrayBufferWriter<byte>();

        // The output goes to a terminal or a script, never into HTML: '+' and non-ASCII need no escaping.
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartArray();
            foreach ((string socketPath, HostStatus status) in hosts)
            {
                json.WriteStartObject();
                foreach (JsonProperty field in JsonSerializer.SerializeToElement(status, ControlJsonContext.Default.HostStatus).EnumerateObject())
                {
                    field.WriteTo(json);
                }

                json.WriteString("socket", socketPath);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
