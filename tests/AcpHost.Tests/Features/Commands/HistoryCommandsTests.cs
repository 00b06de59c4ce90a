using System.Text.Json;
using AcpHost.Acp;
using AcpHost.Events;
using AcpHost.Features.Commands;
using AcpHost.Features.Notices;
using AcpHost.Features.Sessions;
using AcpHost.Relay.Relay;
using AcpHost.State;
using AcpHost.Storage.Ledgers;
using AcpHost.Tests.Support;

namespace AcpHost.Tests.Features.Commands;

/// <summary><c>/forks</c>, <c>/compactions</c> and the <c>/context</c> addition, on a relay with a scripted agent.</summary>
public sealed class HistoryCommandsTests : IAsyncDisposable
{
    private const int Timeout = 20_000;
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);

    private readonly string _folder = Directory.CreateTempSubdirectory("acphost-commands-").FullName;
    private readonly SessionRegistry _sessions = new();
    private readonly ClientProfile _profile = new();
    private readonly AgentCommandNames _agentNames = new();
    private readonly NoticeDesk _desk;
    private readonly RelayHarness _harness;

    public HistoryCommandsTests()
    {
        var client = new ClientChannel();
        var turns = new SessionTurns();
        _desk = new NoticeDesk(NoticeSwitches.Defaults, _profile, turns, client, new ListLogger<NoticeDesk>());
        var history = new SessionHistory(_sessions, new SessionLedger(_folder), new CompactionLedger(_folder));
        _harness = new RelayHarness(
        [
            new SessionTracker(_sessions, TimeProvider.System, new ListLogger<SessionTracker>(), profile: _profile),
            new HistoryCommands(history, _sessions, _desk, _profile, _agentNames, window => window * 85 / 100, new ListLogger<HistoryCommands>()),
            new CommandList(_profile, _agentNames),
            new TurnEndHold(_desk, _profile, turns, new ListLogger<TurnEndHold>()),
        ]);
        client.Attach(_harness.Relay);
    }

    public async ValueTask DisposeAsync()
    {
        await _harness.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private async Task InitializeAsync(int version)
    {
        await _harness.ClientSayAsync("""{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":1}}""");
        await _harness.Agent.ReadFromRelay.NextAsync();
        await _harness.Agent.SayAsync("{\"jsonrpc\":\"2.0\",\"id\":0,\"result\":{\"protocolVersion\":" + version + "}}");
        await _harness.ToClient.NextAsync();
    }

    /// <summary>Session p with two compactions, forked before the second (pre-compact) and once more by /fork, that fork forked again.</summary>
    private async Task FamilyAsync()
    {
        _sessions.Open(new SessionInfo("p", "/w", Start, "session/new", null));
        _sessions.RecordUsage("p", 623_004, 1_000_000);
        _sessions.Open(new SessionInfo("f-pre", "/w", Start.AddMinutes(20), "session/fork", "p") { ForkReason = "pre-compact", ForkUsedTokens = 862_000, ContextWindow = 1_000_000 });
        _sessions.Open(new SessionInfo("f-cmd", "/w", Start.AddMinutes(40), "session/fork", "p") { ForkReason = "command", ForkNote = "before-experiment", ForkUsedTokens = 5_000, ContextWindow = 1_000_000 });
        _sessions.Open(new SessionInfo("f-cmd-2", "/w", Start.AddMinutes(50), "session/fork", "f-cmd") { ForkReason = "client" });
        var ledger = new CompactionLedger(_folder);
        await ledger.AppendAsync(new CompactionRecord { Id = "c1", SessionId = "p", Trigger = "manual", PreTokens = 1_206, PostTokens = 2_513, At = Start.AddMinutes(10), Source = "tool_call" }, CancellationToken.None);
        await ledger.AppendAsync(new CompactionRecord { Id = "c2", SessionId = "p", Trigger = "auto", PreTokens = 970_118, PostTokens = 12_104, At = Start.AddMinutes(30), Source = "tool_call" }, CancellationToken.None);
    }

    private Task PromptAsync(int id, string text, string sessionId = "p") =>
        _harness.ClientSayAsync("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"session/prompt\",\"params\":{\"sessionId\":\"" + sessionId + "\",\"prompt\":[{\"type\":\"text\",\"text\":\"" + text + "\"}]}}");

    private static JsonElement Parse(string line) => JsonDocument.Parse(line).RootElement.Clone();

    private static string TextOf(JsonElement chunk) => chunk.GetProperty("params").GetProperty("update").GetProperty("content").GetProperty("text").GetString()!;

    [Fact(Timeout = Timeout)]
    public async Task Forks_AnsweredByTheHostWithTheFamily_NothingReachesTheAgent()
    {
        await InitializeAsync(version: 1);
        await FamilyAsync();

        await PromptAsync(3, "/forks");

        string text = TextOf(Parse(await _harness.ToClient.NextAsync()));
        Assert.Equal("""{"jsonrpc":"2.0","id":3,"result":{"stopReason":"end_turn"}}""", await _harness.ToClient.NextAsync());
        Assert.Contains("- `f-pre`: taken before compaction, 2026-12-07 10:20 UTC, at 862,000 of 1,000,000 tokens (86 %); holds the conversation from before the compaction of 2026-12-07 10:30 UTC", text, StringComparison.Ordinal);
        Assert.Contains("- `f-cmd`: /fork \"before-experiment\", 2026-12-07 10:40 UTC, at 5,000 of 1,000,000 tokens (1 %); no compaction of its parent since", text, StringComparison.Ordinal);
        Assert.Contains("  - `f-cmd-2`: forked by the editor", text, StringComparison.Ordinal);
        Assert.Contains("session/resume", text, StringComparison.Ordinal);
        Assert.Contains("acphost fork", text, StringComparison.Ordinal);

        // The agent saw nothing of it: the next line it reads is the marker sent after.
        await _harness.ClientSayAsync("""{"jsonrpc":"2.0","method":"marker"}""");
        Assert.Equal("""{"jsonrpc":"2.0","method":"marker"}""", await _harness.Agent.ReadFromRelay.NextAsync());
    }

    [Fact(Timeout = Timeout)]
    public async Task Compactions_NewestFirstWithTheForkTakenBeforeEach_InV2Shapes()
    {
        await InitializeAsync(version: 2);
        await FamilyAsync();

        await PromptAsync(3, "/compactions");

        List<JsonElement> turn = [];
        for (int i = 0; i < 5; i++)
        {
            turn.Add(Parse(await _harness.ToClient.NextAsync()));
        }

        Assert.Equal("user_message", turn[0].GetProperty("params").GetProperty("update").GetProperty("sessionUpdate").GetString());
        Assert.True(turn[1].GetProperty("result").TryGetProperty("messageId", out _));
        string text = TextOf(turn[3]);
        Assert.Equal("idle", turn[4].GetProperty("params").GetProperty("update").GetProperty("state").GetString());
        int second = text.IndexOf("2026-12-07 10:30 UTC, auto, 970,118 → 12,104 tokens; the conversation before it is kept in fork `f-pre` (taken before compaction)", StringComparison.Ordinal);
        int first = text.IndexOf("2026-12-07 10:10 UTC, manual, 1,206 → 2,513 tokens; no fork was taken before it", StringComparison.Ordinal);
        Assert.True(second > 0 && first > second, text);
    }

    [Fact(Timeout = Timeout)]
    public async Task Compactions_AFlattenedUpdateLine_ListsWhatTheSummaryNoLongerNamesUnderItsCompaction()
    {
        await InitializeAsync(version: 1);
        await FamilyAsync();
        var flattened = new FlattenedSpecifics
        {
            Files = new() { Seen = 3, Dropped = 2, Items = [new() { Name = "/w/src/Relay/LineFramer.cs", Uses = 4 }, new() { Name = "/etc/hosts", Uses = 1 }] },
            Commands = new() { Seen = 1, Dropped = 1, Items = [new() { Name = "dotnet test tests/AcpHost.Tests", Uses = 2 }] },
            Urls = FlattenedKind.None,
            ToolErrors = FlattenedKind.None,
            Summary = FlattenedSpecifics.Marked,
            FromLine = 1,
            ToLine = 40,
        };
        // The summary line was read after c1's record was written: a later line under the same id carries it.
        await new CompactionLedger(_folder).AppendAsync(new CompactionRecord { Id = "c1", SessionId = "p", At = Start.AddMinutes(10), Source = "transcript", Flattened = flattened }, CancellationToken.None);

        await PromptAsync(3, "/compactions");

        string text = TextOf(Parse(await _harness.ToClient.NextAsync()));
        Assert.Contains(
            "manual, 1,206 → 2,513 tokens; no fork was taken before it\n  - The summary no longer names 2 of 3 files you worked with: src/Relay/LineFramer.cs, /etc/hosts; 1 of 1 command run: `dotnet test tests/AcpHost.Tests` — they are in the session's transcript, lines 1–40.\n",
            text,
            StringComparison.Ordinal);
        Assert.DoesNotContain("The summary no longer names", text[..text.IndexOf("manual, 1,206", StringComparison.Ordinal)], StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task Forks_TheAgentOffersACommandOfThatName_ItsOwnGoesToTheAgent()
    {
        await InitializeAsync(version: 1);
        await _harness.Agent.SayAsync("""{"jsonrpc":"2.0","method":"session/update","params":{"sessionId":"p","update":{"sessionUpdate":"available_commands_update","availableCommands":[{"name":"forks","description":"the agent's"}]}}}""");
        JsonElement commands = Parse(await _harness.ToClient.NextAsync()).GetProperty("params").GetProperty("update").GetProperty("availableCommands");
        Assert.Equal(["forks", "fork", "compactions"], commands.EnumerateArray().Select(c => c.GetProperty("name").GetString()));

        await PromptAsync(3, "/forks");

        Assert.Contains("/forks", await _harness.Agent.ReadFromRelay.NextAsync(), StringComparison.Ordinal);
    }

    [Fact(Timeout = Timeout)]
    public async Task Context_TheAgentsTurnEndsWithTheHostsAddition()
    {
        await InitializeAsync(version: 1);
        await FamilyAsync();

        await PromptAsync(3, "/context");
        Assert.Contains("/context", await _harness.Agent.ReadFromRelay.NextAsync(), StringComparison.Ordinal);
        await _harness.Agent.SayAsync("""{"jsonrpc":"2.0","method":"session/update","params":{"sessionId":"p","update":{"sessionUpdate":"agent_message_chunk","content":{"type":"text","text":"## Context Usage"}}}}""");
        await _harness.Agent.SayAsync("""{"jsonrpc":"2.0","id":3,"result":{"stopReason":"end_turn"}}""");

        Assert.Contains("## Context Usage", await _harness.ToClient.NextAsync(), StringComparison.Ordinal);
        JsonElement addition = Parse(await _harness.ToClient.NextAsync());
        Assert.Equal("context", addition.GetProperty("params").GetProperty("update").GetProperty("_meta").GetProperty("acphost").GetProperty("notice").GetString());
        string text = TextOf(addition);
        Assert.Contains("Context: 623,004 of 1,000,000 tokens (62 %) [████████████░░░░░░░░]", text, StringComparison.Ordinal);
        Assert.Contains("Fork before compaction at 850,000 tokens (85 %).", text, StringComparison.Ordinal);
        Assert.Contains("Compactions: 2:", text, StringComparison.Ordinal);
        Assert.Contains("Forks: 2:", text, StringComparison.Ordinal);
        Assert.Equal("""{"jsonrpc":"2.0","id":3,"result":{"stopReason":"end_turn"}}""", await _harness.ToClient.NextAsync());
    }

    [Theory(Timeout = Timeout)]
    [InlineData("/forks", "forks")]
    [InlineData("  /compactions please", "compactions")]
    [InlineData("/context", "context")]
    [InlineData("/fork", null)]
    [InlineData("/forksy", null)]
    [InlineData("say /forks", null)]
    public async Task CommandOf_ReadsTheFirstWordAsTheAgentDoes(string text, string? expected)
    {
        Assert.Equal(expected, HistoryCommands.CommandOf(new PromptParams { SessionId = "p", Prompt = [new ContentBlock { Type = "text", Text = text }] }));
        await Task.CompletedTask;
    }
}
