using System.Text.Json;

namespace AcpHost.EndToEnd.Tests.Support;

/// <summary>Checks the non-negotiable: the host's stdout carries JSON-RPC 2.0 objects, one per line, and nothing else.</summary>
public static class StdoutAssert
{
    public static void OnlyJsonRpc(IReadOnlyList<string> lines)
    {
        Assert.NotEmpty(lines);
        foreach (string line in lines)
        {
            JsonElement message;
            try
            {
                message = JsonDocument.Parse(line).RootElement;
            }
            catch (JsonException)
            {
                Assert.Fail($"stdout carried a line that is not JSON: {line[..Math.Min(200, line.Length)]}");
                return;
            }

            Assert.Equal(JsonValueKind.Object, message.ValueKind);
            Assert.Equal("2.0", message.GetProperty("jsonrpc").GetString());
            Assert.True(
                message.TryGetProperty("method", out _) || message.TryGetProperty("result", out _) || message.TryGetProperty("error", out _),
                $"stdout carried a JSON object that is not a JSON-RPC message: {line[..Math.Min(200, line.Length)]}");
        }
    }
}
