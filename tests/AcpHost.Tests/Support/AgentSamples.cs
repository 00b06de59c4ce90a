using System.Text.Json;

namespace AcpHost.Tests.Support;

/// <summary>Wire traffic captured from the real agent (tests/TestData/agent-samples, see its README).</summary>
internal static class AgentSamples
{
    public static string Folder { get; } = Path.Combine(AppContext.BaseDirectory, "TestData", "agent-samples");

    /// <summary>The messages of a capture, in order, each with its direction and its exact line.</summary>
    public static IReadOnlyList<(string Direction, string Line)> Load(string name) =>
        [.. File.ReadLines(Path.Combine(Folder, name))
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Select(record => (record.GetProperty("dir").GetString()!, record.GetProperty("msg").GetRawText()))];

    /// <summary>The agent's lines of a capture.</summary>
    public static IEnumerable<string> FromAgent(string name) =>
        Load(name).Where(m => m.Direction == "agent->client").Select(m => m.Line);
}
