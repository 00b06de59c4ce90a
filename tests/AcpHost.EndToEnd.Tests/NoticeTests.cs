using System.Diagnostics;
using System.Text.Json;
using AcpHost.EndToEnd.Tests.Fakes;
using AcpHost.EndToEnd.Tests.Support;

namespace AcpHost.EndToEnd.Tests;

/// <summary>
/// The host's notices with the real agent, for a client that shows notices and one that does not: each in the turn it
/// belongs to, outside any turn at once for the first, first in the next turn for the second.
/// </summary>
[Collection(RealAgentCollection.Name)]
public class NoticeTests(AgentInstall install)
{
    private const int Timeout = 240_000;

    [Theory(Timeout = Timeout)]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ManualCompact_TheNoticeComesInsideTheTurnBeforeItsAnswer(bool notices)
    {
        await using RealAgentSession session = await RealAgentSession.StartAsync(install);
        await session.InitializeAsync(RealAgentSession.Capabilities(notices));
        string sessionId = await session.NewSessionAsync();
        await session.PromptAsync(sessionId, "Say hello");

        int from = session.Host.MessageCount;
        JsonElement answer = await session.PromptAsync(sessionId, "/compact");

        List<JsonElement> turn = [.. session.Host.Messages.Skip(from)];
        int notice = turn.FindIndex(m => RealAgentSession.IsNotice(m, "compaction"));
        int answered = turn.FindIndex(m => m.GetRawText() == answer.GetRawText());
        Assert.True(notice >= 0 && notice < answered, $"the compaction notice ({notice}) must come before the /compact answer ({answered})");
        Assert.Equal(notices ? "notice" : "agent_message_chunk", turn[notice].GetProperty("params").GetProperty("update").GetProperty("sessionUpdate").GetString());
        JsonElement rawOutput = session.Updates(sessionId).Last(u => u.TryGetProperty("rawOutput", out JsonElement r) && r.ValueKind == JsonValueKind.Object && r.TryGetProperty("preTokens", out _)).GetProperty("rawOutput");
        string text = RealAgentSession.NoticeText(turn[notice]);
        Assert.Contains($"{rawOutput.GetProperty("preTokens").GetInt64():N0} → {rawOutput.GetProperty("postTokens").GetInt64():N0} tokens", text, StringComparison.Ordinal);
        Assert.Contains("Trigger: manual.", text, StringComparison.Ordinal);
        StdoutAssert.OnlyJsonRpc(session.Host.StdoutLines);
    }

    [Theory(Timeout = Timeout)]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AutoCompact_DefaultSettings_ForkedBeforeAndBothNoticesNameTheFork(bool notices)
    {
        await using RealAgentSession session = await RealAgentSession.StartAsync(install);
        await session.InitializeAsync(RealAgentSession.Capabilities(notices));
        string sessionId = await session.NewSessionAsync();
        session.Api.ReportedInputTokens = 990_000;
        int from = session.Host.MessageCount;

        // The pre-compact fork is on by default: it comes at the end of the turn that filled the context.
        await session.PromptAsync(sessionId, "Fill the context");
        string fork = (await session.Host.WaitForAsync(m => m.TryGetProperty("method", out JsonElement method) && method.GetString() == "_acphost/session_forked", TimeSpan.FromSeconds(60), from))
            .GetProperty("params").GetProperty("sessionId").GetString()!;

        // Outside any turn: a client that shows notices hears of it at once, any other first in the next turn.
        if (notices)
        {
            JsonElement told = await session.Host.WaitForAsync(m => RealAgentSession.IsNotice(m, "pre-compact-fork"), TimeSpan.FromSeconds(60), from);
            Assert.Contains(fork, RealAgentSession.NoticeText(told), StringComparison.Ordinal);
        }
        else
        {
            Assert.DoesNotContain(session.Host.Messages.Skip(from), m => RealAgentSession.IsNotice(m, "pre-compact-fork"));
        }

        int next = session.Host.MessageCount;
        JsonElement answer = await session.PromptAsync(sessionId, "This turn compacts first");
        List<JsonElement> turn = [.. session.Host.Messages.Skip(next)];
        if (!notices)
        {
            int deferred = turn.FindIndex(m => RealAgentSession.IsNotice(m, "pre-compact-fork"));
            int firstOfAgent = turn.FindIndex(m => RealAgentSession.IsUpdate(m, sessionId, "tool_call"));
            Assert.True(deferred >= 0 && deferred < firstOfAgent, $"the fork notice ({deferred}) must open the next turn, before the agent's updates ({firstOfAgent})");
            Assert.Contains("990,", RealAgentSession.NoticeText(turn[deferred]), StringComparison.Ordinal);
        }

        int compacted = turn.FindIndex(m => RealAgentSession.IsNotice(m, "compaction"));
        int answered = turn.FindIndex(m => m.GetRawText() == answer.GetRawText());
        Assert.True(compacted >= 0 && compacted < answered, $"the compaction notice ({compacted}) must come inside its turn ({answered}):\n{string.Join('\n', turn.Select(m => m.GetRawText()[..Math.Min(200, m.GetRawText().Length)]))}\n{session.Host.Stderr}");
        string text = RealAgentSession.NoticeText(turn[compacted]);
        Assert.Contains("Trigger: automatic.", text, StringComparison.Ordinal);
        Assert.Contains($"kept whole in fork {fork}", text, StringComparison.Ordinal);
    }

    [AgentVersionTheory("0.101.0", Timeout = Timeout)]
    [InlineData(false)]
    [InlineData(true)]
    public async Task IdleCompaction_OutsideAnyTurn_AtOnceForANoticeClientElseFirstInTheNextTurn(bool notices)
    {
        await using RealAgentSession session = await RealAgentSession.StartWithEnvironmentAsync(install, IdleCompactionTests.IdleSoon);
        await session.InitializeAsync(RealAgentSession.Capabilities(notices));
        string sessionId = await session.NewSessionAsync();
        session.Api.ReportedInputTokens = IdleCompactionTests.ContextTokens;
        session.Api.OneHourCacheTokens = 4_000;
        await session.PromptAsync(sessionId, "Fill the context, then leave me idle");
        int idle = session.Host.MessageCount;

        await session.Host.WaitForAsync(m => m.TryGetProperty("method", out JsonElement method) && method.GetString() == "_acphost/compaction", TimeSpan.FromSeconds(90), idle);
        if (notices)
        {
            JsonElement told = await session.Host.WaitForAsync(m => RealAgentSession.IsNotice(m, "compaction"), TimeSpan.FromSeconds(30), idle);
            Assert.Contains("idle", RealAgentSession.NoticeText(told), StringComparison.Ordinal);
            return;
        }

        Assert.DoesNotContain(session.Host.Messages.Skip(idle), m => RealAgentSession.IsNotice(m, "compaction"));
        int next = session.Host.MessageCount;
        await session.PromptAsync(sessionId, "Back again");
        List<JsonElement> turn = [.. session.Host.Messages.Skip(next)];
        int shown = turn.FindIndex(m => RealAgentSession.IsNotice(m, "compaction"));
        int firstOfAgent = turn.FindIndex(m => RealAgentSession.IsUpdate(m, sessionId, "agent_message_chunk") && !RealAgentSession.IsNotice(m, "compaction"));
        Assert.True(shown >= 0 && shown < firstOfAgent, $"the idle compaction's notice ({shown}) must open the next turn ({firstOfAgent})");
        Assert.Contains("idle", RealAgentSession.NoticeText(turn[shown]), StringComparison.Ordinal);
    }

    [Theory(Timeout = Timeout)]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AgentKilledMidTurn_TheSessionIsToldItWasTakenBackAndItsTurnEndedWithAnError(bool notices)
    {
        await using RealAgentSession session = await RealAgentSession.StartAsync(install);
        await session.InitializeAsync(RealAgentSession.Capabilities(notices));
        string sessionId = await session.NewSessionAsync();
        await session.PromptAsync(sessionId, "Hello before the crash");
        session.Api.ReplyDelay = TimeSpan.FromSeconds(60);
        Task<JsonElement> inFlight = session.PromptAsync(sessionId, "This turn dies");
        using (var waiting = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            await session.Api.WaitForRequestAsync(r => r.Kind == FakeApiRequestKind.Turn && r.LastUserText!.Contains("This turn dies", StringComparison.Ordinal), waiting.Token);
        }

        int from = session.Host.MessageCount;
        using (Process agent = Process.GetProcessById(await session.Host.AgentPidAsync(TimeSpan.FromSeconds(5))))
        {
            agent.Kill();
        }

        Assert.Equal(-32603, (await inFlight).GetProperty("error").GetProperty("code").GetInt32());
        await session.Host.WaitForAsync(m => m.TryGetProperty("method", out JsonElement method) && method.GetString() == "_acphost/agent_restarted", TimeSpan.FromSeconds(90), from);
        session.Api.ReplyDelay = TimeSpan.Zero;
        JsonElement told;
        if (notices)
        {
            told = await session.Host.WaitForAsync(m => RealAgentSession.IsNotice(m, "agent-restarted"), TimeSpan.FromSeconds(30), from);
        }
        else
        {
            Assert.DoesNotContain(session.Host.Messages.Skip(from), m => RealAgentSession.IsNotice(m, "agent-restarted"));
            int next = session.Host.MessageCount;
            await session.PromptAsync(sessionId, "Are you back?");
            told = session.Host.Messages.Skip(next).First(m => RealAgentSession.IsNotice(m, "agent-restarted"));
        }

        string text = RealAgentSession.NoticeText(told);
        Assert.Contains("exited (code 137)", text, StringComparison.Ordinal);
        Assert.Contains("taken back under the same id", text, StringComparison.Ordinal);
        Assert.Contains("The turn that was running ended with an error", text, StringComparison.Ordinal);
    }

    [Theory(Timeout = Timeout)]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Context_TheAgentsOwnAnswerIsFollowedByTheHostsAdditionInTheSameTurn(bool notices)
    {
        await using RealAgentSession session = await RealAgentSession.StartAsync(install);
        await session.InitializeAsync(RealAgentSession.Capabilities(notices));
        string sessionId = await session.NewSessionAsync();
        await session.PromptAsync(sessionId, "Say hello");
        await session.PromptAsync(sessionId, "/compact");
        int turns = session.Api.Requests.Count(r => r.Kind == FakeApiRequestKind.Turn);

        int from = session.Host.MessageCount;
        JsonElement answer = await session.PromptAsync(sessionId, "/context");

        List<JsonElement> turn = [.. session.Host.Messages.Skip(from)];
        int agents = turn.FindLastIndex(m => RealAgentSession.IsUpdate(m, sessionId, "agent_message_chunk") && m.GetRawText().Contains("Context Usage", StringComparison.Ordinal));
        int addition = turn.FindIndex(m => RealAgentSession.IsNotice(m, "context"));
        int answered = turn.FindIndex(m => m.GetRawText() == answer.GetRawText());
        Assert.True(agents >= 0 && agents < addition && addition < answered, $"the agent's /context ({agents}), then the host's addition ({addition}), then the end of the turn ({answered})");
        string text = RealAgentSession.NoticeText(turn[addition]);
        Assert.Contains("of 1,000,000 tokens", text, StringComparison.Ordinal);
        Assert.Contains("Fork before compaction at 850,000 tokens (85 %).", text, StringComparison.Ordinal);
        Assert.Contains("Compactions: 1:", text, StringComparison.Ordinal);
        Assert.Contains(", manual, ", text, StringComparison.Ordinal);
        Assert.Contains("Forks: none.", text, StringComparison.Ordinal);
        Assert.Equal(turns, session.Api.Requests.Count(r => r.Kind == FakeApiRequestKind.Turn));
    }
}
