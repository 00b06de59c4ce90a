using System.Text;
using System.Text.Json;
using AcpHost.Features.Recovery;
using AcpHost.Features.Sessions;
using AcpHost.Relay.Relay;
using AcpHost.Relay.Transport;
using AcpHost.State;
using AcpHost.Tests.Support;
using Microsoft.Extensions.Logging;

namespace AcpHost.Tests.Features.Recovery;

public class SessionRestorerTests
{
    private const int Timeout = 10_000;

    private const string Resumable = """{"result":{"protocolVersion":1,"agentCapabilities":{"sessionCapabilities":{"resume":{}}}}}""";

    private const string Resumed = """
        {"result":{"sessionId":"s1","modes":{"currentModeId":"auto","availableModes":[]},
         "configOptions":[{"id":"mode","category":"mode","type":"select","currentValue":"auto"},{"id":"model","category":"model","type":"select","currentValue":"default"}]}}
        """;

    private readonly SessionRegistry _sessions = new();
    private readonly ClientChoices _choices = new();
    private readonly LostSessions _lost = new();
    private readonly ListLogger<ChoiceReplay> _replayLog = new();

    private SessionRestorer Restorer() =>
        new(_sessions, new ChoiceReplay(_choices, _replayLog), _lost, new ListLogger<SessionRestorer>());

    private static AgentRestart Restart => new(1, new AgentExit(137, [], KilledByHost: false));

    private static ClientChoice Choice(string method, string key, string parameters) => new(method, key, Encoding.UTF8.GetBytes(parameters));

    /// <summary>The client's initialize, seen by the restorer as it passes, so it can be replayed.</summary>
    private static async Task SeeInitializeAsync(SessionRestorer restorer, ScriptedOutlet outlet) =>
        await outlet.PassAsync(restorer, Direction.FromClient, """{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":1}}""");

    [Fact(Timeout = Timeout)]
    public async Task RestoreAsync_ChoicesMade_ReplaysAuthenticateAfterInitializeThenEachChoiceInTheOrderMade()
    {
        _sessions.Open(new SessionInfo("s1", "/w", DateTimeOffset.UnixEpoch, "session/new", null));
        _choices.Authenticated(Encoding.UTF8.GetBytes("""{"methodId":"gateway"}"""));
        _choices.Record("s1", Choice("session/set_config_option", "config:model", """{"sessionId":"s1","configId":"model","value":"opus"}"""));
        _choices.Record("s1", Choice("session/set_mode", "mode", """{"sessionId":"s1","modeId":"plan"}"""));
        _choices.Record("s1", Choice("session/set_config_option", "config:effort", """{"sessionId":"s1","configId":"effort","value":"high"}"""));
        _choices.Record("s1", Choice("session/set_mode", "mode", """{"sessionId":"s1","modeId":"acceptEdits"}"""));
        var outlet = new ScriptedOutlet { Answer = (method, _) => method switch { "initialize" => Resumable, "session/resume" => Resumed, _ => """{"result":{}}""" } };
        SessionRestorer restorer = Restorer();
        await SeeInitializeAsync(restorer, outlet);

        await restorer.RestoreAsync(outlet, Restart, CancellationToken.None);

        Assert.Equal(
            ["initialize", "authenticate", "session/resume", "session/set_config_option", "session/set_config_option", "session/set_mode"],
            outlet.Requests.Select(r => r.Method));
        Assert.Equal("""{"methodId":"gateway"}""", outlet.Requests[1].Params);
        Assert.Contains("\"opus\"", outlet.Requests[3].Params, StringComparison.Ordinal);
        Assert.Contains("\"high\"", outlet.Requests[4].Params, StringComparison.Ordinal);
        Assert.Equal("""{"sessionId":"s1","modeId":"acceptEdits"}""", outlet.Requests[5].Params);

        // All held: nothing to correct, only the announcement.
        Assert.Empty(outlet.Updates);
        JsonElement restarted = JsonDocument.Parse(Assert.Single(outlet.ToClient)).RootElement.GetProperty("params");
        Assert.Equal(1, restarted.GetProperty("sessionsResumed").GetInt32());
        Assert.Empty(restarted.GetProperty("lostSessionIds").EnumerateArray());
    }

    [Fact(Timeout = Timeout)]
    public async Task RestoreAsync_ModeRefused_ClientToldTheAgentsModeAndOptionsAndWarningLogged()
    {
        _sessions.Open(new SessionInfo("s1", "/w", DateTimeOffset.UnixEpoch, "session/new", null));
        _choices.Record("s1", Choice("session/set_mode", "mode", """{"sessionId":"s1","modeId":"plan"}"""));
        _choices.Record("s1", Choice("session/set_config_option", "config:model", """{"sessionId":"s1","configId":"model","value":"opus"}"""));
        var outlet = new ScriptedOutlet
        {
            Answer = (method, _) => method switch
            {
                "initialize" => Resumable,
                "session/resume" => Resumed,
                "session/set_mode" => """{"error":{"code":-32603,"message":"Invalid Mode"}}""",
                _ => """{"result":{"configOptions":[{"id":"mode","category":"mode","type":"select","currentValue":"auto"},{"id":"model","category":"model","type":"select","currentValue":"opus"}]}}""",
            },
        };
        SessionRestorer restorer = Restorer();
        await SeeInitializeAsync(restorer, outlet);

        await restorer.RestoreAsync(outlet, Restart, CancellationToken.None);

        // The model held, the mode did not: the editor hears the mode the agent is really in, and the options as they
        // are after the model was set again, just as the agent would say them.
        JsonElement[] updates = [.. outlet.Updates];
        Assert.Equal(2, updates.Length);
        Assert.Equal(("current_mode_update", "auto"), (updates[0].GetProperty("sessionUpdate").GetString(), updates[0].GetProperty("currentModeId").GetString()));
        Assert.Equal("config_option_update", updates[1].GetProperty("sessionUpdate").GetString());
        Assert.Equal("opus", updates[1].GetProperty("configOptions")[1].GetProperty("currentValue").GetString());
        Assert.True(_replayLog.Contains(LogLevel.Warning, "session/set_mode"));
        Assert.True(_replayLog.Contains(LogLevel.Warning, "Invalid Mode"));
        Assert.Equal("_acphost/agent_restarted", JsonDocument.Parse(outlet.ToClient[^1]).RootElement.GetProperty("method").GetString());
    }

    [Fact(Timeout = Timeout)]
    public async Task RestoreAsync_SessionNotTakenBack_ListedByIdAndRememberedWithWhy()
    {
        _sessions.Open(new SessionInfo("kept", "/w", DateTimeOffset.UnixEpoch, "session/new", null));
        _sessions.Open(new SessionInfo("never-prompted", "/w", DateTimeOffset.UnixEpoch.AddSeconds(1), "session/new", null));
        _choices.Record("never-prompted", Choice("session/set_mode", "mode", """{"sessionId":"never-prompted","modeId":"plan"}"""));
        var outlet = new ScriptedOutlet
        {
            Answer = (method, parameters) => method switch
            {
                "initialize" => Resumable,
                "session/resume" when parameters.GetProperty("sessionId").GetString() == "kept" => Resumed,
                _ => """{"error":{"code":-32002,"message":"Resource not found","data":{"uri":"never-prompted"}}}""",
            },
        };
        SessionRestorer restorer = Restorer();
        await SeeInitializeAsync(restorer, outlet);

        await restorer.RestoreAsync(outlet, Restart, CancellationToken.None);

        // A lost session gets no choices replayed: there is nothing to give them to.
        Assert.DoesNotContain(outlet.Requests, r => r.Method == "session/set_mode");
        JsonElement restarted = JsonDocument.Parse(Assert.Single(outlet.ToClient)).RootElement.GetProperty("params");
        Assert.Equal((1, 1), (restarted.GetProperty("sessionsResumed").GetInt32(), restarted.GetProperty("sessionsLost").GetInt32()));
        Assert.Equal(["never-prompted"], restarted.GetProperty("lostSessionIds").EnumerateArray().Select(id => id.GetString()));
        string why = _lost.ReasonFor("never-prompted")!;
        Assert.Contains("lost when the agent restarted", why, StringComparison.Ordinal);
        Assert.Contains("-32002 (Resource not found)", why, StringComparison.Ordinal);
        Assert.Null(_lost.ReasonFor("kept"));
        Assert.Equal(["kept"], _sessions.All.Select(s => s.SessionId));

        // A second restart does not try it again, nor list it again: the client was told once.
        outlet.Requests.Clear();
        outlet.ToClient.Clear();
        await restorer.RestoreAsync(outlet, Restart with { Attempt = 2 }, CancellationToken.None);
        Assert.DoesNotContain(outlet.Requests, r => r.Params.Contains("never-prompted", StringComparison.Ordinal));
    }

    [Fact(Timeout = Timeout)]
    public async Task RestoreAsync_V2Client_ResumesEndsTheCutTurnWithAnErrorAndTellsEachSession()
    {
        var profile = new ClientProfile();
        profile.Negotiated(2);
        var turns = new SessionTurns();
        _sessions.Open(new SessionInfo("s1", "/w", DateTimeOffset.UnixEpoch, "session/new", null));
        _sessions.Open(new SessionInfo("lost", "/w", DateTimeOffset.UnixEpoch.AddSeconds(1), "session/new", null));
        turns.ForegroundChanged("s1", running: true);
        _choices.Record("s1", Choice("session/set_config_option", "config:mode", """{"sessionId":"s1","configId":"mode","value":"plan"}"""));
        var outlet = new ScriptedOutlet
        {
            Answer = (method, parameters) => method switch
            {
                "initialize" => """{"result":{"protocolVersion":2,"info":{"name":"a","version":"1"},"capabilities":{"session":{"fork":{}}}}}""",
                "session/resume" when parameters.GetProperty("sessionId").GetString() == "s1" => """{"result":{"configOptions":[{"configId":"mode","category":"mode","type":"select","currentValue":"auto"}]}}""",
                "session/resume" => """{"error":{"code":-32002,"message":"Resource not found"}}""",
                _ => """{"error":{"code":-32602,"message":"Invalid value"}}""",
            },
        };
        var client = new ClientChannel();
        client.Attach(outlet);
        var desk = new AcpHost.Features.Notices.NoticeDesk(AcpHost.Features.Notices.NoticeSwitches.Defaults, profile, turns, client, new ListLogger<AcpHost.Features.Notices.NoticeDesk>());
        var restorer = new SessionRestorer(_sessions, new ChoiceReplay(_choices, _replayLog, profile), _lost, new ListLogger<SessionRestorer>(), turns, profile: profile, notices: desk);
        await SeeInitializeAsync(restorer, outlet);

        await restorer.RestoreAsync(outlet, Restart, CancellationToken.None);

        // v2 has no session/load and advertises no resume: it is reopened with session/resume all the same.
        Assert.Equal(["initialize", "session/resume", "session/set_config_option", "session/resume"], outlet.Requests.Select(r => r.Method));
        JsonElement[] updates = [.. outlet.Updates];
        Assert.Equal(("state_update", "idle", "error"), (updates[0].GetProperty("sessionUpdate").GetString(), updates[0].GetProperty("state").GetString(), updates[0].GetProperty("stopReason").GetString()));
        Assert.Equal(-32603, updates[0].GetProperty("error").GetProperty("code").GetInt32());

        // A refused choice is told as v2 tells it: config options only, no mode update.
        Assert.DoesNotContain(updates, u => u.GetProperty("sessionUpdate").GetString() == "current_mode_update");
        Assert.Contains(updates, u => u.GetProperty("sessionUpdate").GetString() == "config_option_update");

        // Each session hears what became of it, as a notice (every v2 client shows them).
        JsonElement[] notices = [.. updates.Where(u => u.GetProperty("sessionUpdate").GetString() == "notice")];
        Assert.Equal(2, notices.Length);
        Assert.Contains("taken back under the same id", notices[0].GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Contains("The turn that was running ended with an error", notices[0].GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Contains("did not take this session back", notices[1].GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Contains("lost: 1 (lost)", notices[1].GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Empty(turns.AgentReplaced()); // the cut turn was ended and forgotten with the old agent
    }

    [Fact(Timeout = Timeout)]
    public async Task RestoreAsync_RunsOutOfTime_TheNoticeStillComesListingEverySessionNotTakenBack()
    {
        _sessions.Open(new SessionInfo("first", "/w", DateTimeOffset.UnixEpoch, "session/new", null));
        _sessions.Open(new SessionInfo("hangs", "/w", DateTimeOffset.UnixEpoch.AddSeconds(1), "session/new", null));
        _sessions.Open(new SessionInfo("never-tried", "/w", DateTimeOffset.UnixEpoch.AddSeconds(2), "session/new", null));
        using var restoreTimeout = new CancellationTokenSource();
        var outlet = new ScriptedOutlet
        {
            Answer = (method, _) => method == "initialize" ? Resumable : Resumed,
            Hangs = (method, parameters) =>
            {
                bool hangs = method == "session/resume" && parameters.GetProperty("sessionId").GetString() == "hangs";
                if (hangs)
                {
                    restoreTimeout.Cancel(); // the restore's time runs out while the agent sits on this resume
                }

                return hangs;
            },
        };
        SessionRestorer restorer = Restorer();
        await SeeInitializeAsync(restorer, outlet);

        await restorer.RestoreAsync(outlet, Restart, restoreTimeout.Token);

        JsonElement restarted = JsonDocument.Parse(Assert.Single(outlet.ToClient)).RootElement;
        Assert.Equal("_acphost/agent_restarted", restarted.GetProperty("method").GetString());
        Assert.Equal(1, restarted.GetProperty("params").GetProperty("sessionsResumed").GetInt32());
        Assert.Equal(["hangs", "never-tried"], restarted.GetProperty("params").GetProperty("lostSessionIds").EnumerateArray().Select(id => id.GetString()));
        Assert.Contains("did not finish", _lost.ReasonFor("hangs"), StringComparison.Ordinal);
        Assert.Contains("did not finish", _lost.ReasonFor("never-tried"), StringComparison.Ordinal);
        Assert.Equal(["first"], _sessions.All.Select(s => s.SessionId));
    }

    [Fact(Timeout = Timeout)]
    public async Task RestoreAsync_NewAgentGoneDuringInitialize_TheNoticeStillComesListingTheSessions()
    {
        _sessions.Open(new SessionInfo("s1", "/w", DateTimeOffset.UnixEpoch, "session/new", null));
        var outlet = new GoneOutlet();
        SessionRestorer restorer = Restorer();
        await SeeInitializeAsync(restorer, new ScriptedOutlet());

        await restorer.RestoreAsync(outlet, Restart, CancellationToken.None);

        JsonElement restarted = JsonDocument.Parse(Assert.Single(outlet.ToClient)).RootElement.GetProperty("params");
        Assert.Equal(["s1"], restarted.GetProperty("lostSessionIds").EnumerateArray().Select(id => id.GetString()));
        Assert.Contains("agent", _lost.ReasonFor("s1"), StringComparison.Ordinal);
    }

    /// <summary>An outlet whose agent is gone: every request fails as the relay fails it.</summary>
    private sealed class GoneOutlet : IRelayOutlet
    {
        private readonly ScriptedOutlet _client = new();

        public List<string> ToClient => _client.ToClient;

        public ValueTask<bool> SendToClientAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken) => _client.SendToClientAsync(message, cancellationToken);

        public ValueTask<bool> NotifyClientAsync(string method, ReadOnlyMemory<byte> paramsJson, CancellationToken cancellationToken) => _client.NotifyClientAsync(method, paramsJson, cancellationToken);

        public Task<AgentResponse> RequestAgentAsync(string method, ReadOnlyMemory<byte> paramsJson, CancellationToken cancellationToken) =>
            Task.FromException<AgentResponse>(new AgentUnavailableException("The agent exited (code 1) before answering"));

        public ValueTask<bool> ResumeClientMessageAsync(ReadOnlyMemory<byte> line, IMessageInterceptor heldBy, CancellationToken cancellationToken) => ValueTask.FromResult(true);
    }
}
