using System.Text.Json;
using AcpHost.Features.Recovery;
using AcpHost.Relay.Relay;
using AcpHost.Tests.Support;
using Microsoft.Extensions.Logging;

namespace AcpHost.Tests.Features.Recovery;

public class LostSessionGuardTests
{
    private const int Timeout = 10_000;

    private readonly LostSessions _lost = new();
    private readonly ScriptedOutlet _outlet = new();
    private readonly ListLogger<LostSessionGuard> _log = new();

    [Fact(Timeout = Timeout)]
    public async Task InterceptAsync_PromptNamesALostSession_AnsweredWithWhyNotForwarded()
    {
        _lost.Add("gone", "Session gone was lost when the agent restarted (attempt 1, the previous agent exited with code 137): the new agent answered session/resume with error -32002 (Resource not found).");
        var guard = new LostSessionGuard(_lost, _log);

        InterceptResult result = await _outlet.PassAsync(guard, Direction.FromClient, """{"jsonrpc":"2.0","id":"p1","method":"session/prompt","params":{"sessionId":"gone","prompt":[]}}""");

        Assert.Equal(InterceptAction.Consume, result.Action);
        JsonElement reply = JsonDocument.Parse(Assert.Single(_outlet.ToClient)).RootElement;
        Assert.Equal("p1", reply.GetProperty("id").GetString());
        JsonElement error = reply.GetProperty("error");
        Assert.Equal(-32002, error.GetProperty("code").GetInt32());
        Assert.Contains("lost when the agent restarted", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("Resource not found", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("gone", error.GetProperty("data").GetProperty("sessionId").GetString());
        Assert.True(_log.Contains(LogLevel.Warning, "gone"));

        // And again on the next: the session stays lost until the client itself reopens it.
        Assert.Equal(InterceptAction.Consume, (await _outlet.PassAsync(guard, Direction.FromClient, """{"jsonrpc":"2.0","id":2,"method":"session/set_mode","params":{"sessionId":"gone","modeId":"plan"}}""")).Action);
    }

    [Fact(Timeout = Timeout)]
    public async Task InterceptAsync_OtherSessionsAndReopening_PassUnchanged()
    {
        _lost.Add("gone", "lost");
        var guard = new LostSessionGuard(_lost, _log);

        Assert.Equal(InterceptAction.Forward, (await _outlet.PassAsync(guard, Direction.FromClient, """{"jsonrpc":"2.0","id":1,"method":"session/prompt","params":{"sessionId":"alive","prompt":[]}}""")).Action);
        Assert.Equal(InterceptAction.Forward, (await _outlet.PassAsync(guard, Direction.FromClient, """{"jsonrpc":"2.0","method":"session/cancel","params":{"sessionId":"gone"}}""")).Action);
        Assert.Equal(InterceptAction.Forward, (await _outlet.PassAsync(guard, Direction.FromClient, """{"jsonrpc":"2.0","id":3,"method":"session/load","params":{"sessionId":"gone","cwd":"/w","mcpServers":[]}}""")).Action);
        Assert.Empty(_outlet.ToClient);
        Assert.False(_lost.Contains("gone"));
        Assert.False(guard.Wants("session/prompt", default));
    }
}
