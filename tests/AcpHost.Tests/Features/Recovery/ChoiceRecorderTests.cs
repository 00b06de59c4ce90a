using System.Text;
using AcpHost.Features.Recovery;
using AcpHost.Relay.Relay;

namespace AcpHost.Tests.Features.Recovery;

public class ChoiceRecorderTests
{
    private const int Timeout = 10_000;

    private readonly ClientChoices _choices = new();
    private readonly ScriptedOutlet _outlet = new();

    private async Task ChooseAsync(ChoiceRecorder recorder, int id, string method, string parameters, string answer)
    {
        await _outlet.PassAsync(recorder, Direction.FromClient, $$"""{"jsonrpc":"2.0","id":{{id}},"method":"{{method}}","params":{{parameters}}}""");
        await _outlet.PassAsync(recorder, Direction.FromAgent, $$"""{"jsonrpc":"2.0","id":{{id}},""" + answer[1..], method);
    }

    [Fact(Timeout = Timeout)]
    public async Task InterceptAsync_ChoicesAnswered_KeepsOnlyAcceptedOnesLastOfEachKeyInOrder()
    {
        var recorder = new ChoiceRecorder(_choices);

        await ChooseAsync(recorder, 1, "session/set_mode", """{"sessionId":"s","modeId":"plan"}""", """{"result":{}}""");
        await ChooseAsync(recorder, 2, "session/set_config_option", """{"sessionId":"s","configId":"model","value":"opus"}""", """{"result":{"configOptions":[]}}""");
        await ChooseAsync(recorder, 3, "session/set_mode", """{"sessionId":"s","modeId":"bypassPermissions"}""", """{"error":{"code":-32603,"message":"Invalid Mode"}}""");
        await ChooseAsync(recorder, 4, "session/set_model", """{"sessionId":"s","modelId":"x"}""", """{"error":{"code":-32601,"message":"Method not found"}}""");
        await ChooseAsync(recorder, 5, "session/set_mode", """{"sessionId":"s","modeId":"acceptEdits"}""", """{"result":{}}""");
        await ChooseAsync(recorder, 6, "session/set_mode", """{"sessionId":"other","modeId":"plan"}""", """{"result":{}}""");
        await ChooseAsync(recorder, 7, "authenticate", """{"methodId":"gateway"}""", """{"result":{}}""");

        Assert.Equal(
            [("session/set_config_option", "config:model", """{"sessionId":"s","configId":"model","value":"opus"}"""), ("session/set_mode", "mode", """{"sessionId":"s","modeId":"acceptEdits"}""")],
            _choices.For("s").Select(c => (c.Method, c.Key, Encoding.UTF8.GetString(c.Params.Span))));
        Assert.Single(_choices.For("other"));
        Assert.Equal("""{"methodId":"gateway"}""", Encoding.UTF8.GetString(_choices.Authenticate!.Value.Span));
    }

    [Fact(Timeout = Timeout)]
    public async Task InterceptAsync_AgentLeavesPlanModeItself_ThatModeIsTheOneToRestore()
    {
        var recorder = new ChoiceRecorder(_choices);
        await ChooseAsync(recorder, 1, "session/set_mode", """{"sessionId":"s","modeId":"plan"}""", """{"result":{}}""");
        await ChooseAsync(recorder, 2, "session/set_config_option", """{"sessionId":"s","configId":"model","value":"opus"}""", """{"result":{}}""");

        // The user approved the plan: the agent switches mode and says so.
        string update = """{"jsonrpc":"2.0","method":"session/update","params":{"sessionId":"s","update":{"sessionUpdate":"current_mode_update","currentModeId":"acceptEdits"}}}""";
        Assert.True(recorder.Wants("session/update", Encoding.UTF8.GetBytes(update)));
        Assert.False(recorder.Wants("session/update", Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","method":"session/update","params":{"sessionId":"s","update":{"sessionUpdate":"agent_message_chunk"}}}""")));
        await _outlet.PassAsync(recorder, Direction.FromAgent, update);

        Assert.Equal(
            [("config:model", "session/set_config_option"), ("mode", "session/set_mode")],
            _choices.For("s").Select(c => (c.Key, c.Method)));
        Assert.Equal("""{"sessionId":"s","modeId":"acceptEdits"}""", Encoding.UTF8.GetString(_choices.For("s")[^1].Params.Span));
    }
}
