using System.Globalization;
using System.Text.Json.Nodes;

namespace AcpHost.EndToEnd.Tests.Fakes;

/// <summary>
/// Scripted tool calls for <see cref="FakeMessagesApi.ToolScript"/>: a normal turn whose last user text contains
/// <paramref name="trigger"/> is answered with the first step's <c>tool_use</c>; each following request that carries a
/// tool's result (the agent ran the step) with the next one; after the last step, the fake's usual text reply ends the
/// turn. The agent runs the tools itself, so a <c>Read</c> reads a real file and its transcript records it as with a
/// real model. Thread-safe.
/// </summary>
/// <param name="trigger">Text of the prompt that starts the script.</param>
/// <param name="steps">Tool name and input of each call, in order.</param>
public sealed class FakeToolScript(string trigger, IReadOnlyList<(string Name, JsonObject Input)> steps)
{
    private readonly Lock _gate = new();
    private int _next = -1;
    private int _ids;

    /// <summary>The steps the agent asked for so far.</summary>
    public int Sent
    {
        get { lock (_gate) { return Math.Max(_next, 0); } }
    }

    /// <summary>The tool call to answer a normal turn with, or null for the usual text.</summary>
    internal FakeToolUse? Next(MessagesRequestInfo info)
    {
        lock (_gate)
        {
            if (_next < 0 && info.LastUserText?.Contains(trigger, StringComparison.Ordinal) == true)
            {
                _next = 0;
            }
            else if (_next < 0 || !info.ToolResult)
            {
                return null;
            }

            if (_next >= steps.Count)
            {
                return null;
            }

            (string name, JsonObject input) = steps[_next++];
            string id = "toolu_fake_" + (++_ids).ToString("D4", CultureInfo.InvariantCulture);
            return new FakeToolUse(id, name, input.ToJsonString(FakeWire.Json));
        }
    }
}
