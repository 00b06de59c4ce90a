namespace AcpHost.EndToEnd.Tests.Fakes;

/// <summary>One <c>tool_use</c> block the fake answers with: its id, the tool's name and its input as JSON text.</summary>
internal sealed record FakeToolUse(string Id, string Name, string InputJson);
