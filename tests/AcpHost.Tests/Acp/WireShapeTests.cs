using System.Text;
using System.Text.Json;
using AcpHost.Acp;
using AcpHost.Events;
using AcpHost.Features.Compaction;
using AcpHost.Storage.Ledgers;

namespace AcpHost.Tests.Acp;

/// <summary>
/// What the host writes, byte for byte: its <c>_acphost/*</c> notifications on the ACP wire and the lines of its two
/// ledgers. The shapes are the contract scripts and clients read (protocol/README.md), whichever context writes them.
/// </summary>
public class WireShapeTests
{
    private const int Timeout = 5_000;

    private static readonly CompactionRecord Record = new()
    {
        Id = "c-1",
        SessionId = "s-1",
        Trigger = "auto",
        PreTokens = 150_000,
        PostTokens = null,
        DurationMs = 4_200,
        ContextWindow = null,
        At = new DateTimeOffset(2026, 11, 26, 2, 30, 0, TimeSpan.Zero),
        Source = "live",
    };

    [Fact(Timeout = Timeout)]
    public async Task CompactionNotification_WritesNullCountsAndLeavesOutUnknownOptionalOnes()
    {
        string json = Encoding.UTF8.GetString(CompactionNotices.Payload(Record with { PreTokens = null, Trigger = null }));

        Assert.Equal("""{"sessionId":"s-1","trigger":null,"preTokens":null,"durationMs":4200,"compactionId":"c-1"}""", json);
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task CompactionMeta_AddsTheNotificationUnderMetaAcphost_KeepingTheRestAsItCame()
    {
        byte[] line = Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","method":"session/update","params":{"sessionId":"s-1","update":{"sessionUpdate":"compaction_update","x":1}}}""");

        string json = Encoding.UTF8.GetString(CompactionNotices.WithAcphostMeta(line, Record with { PostTokens = 9_000, ContextWindow = 200_000 }));

        Assert.Equal(
            """{"jsonrpc":"2.0","method":"session/update","params":{"sessionId":"s-1","update":{"sessionUpdate":"compaction_update","x":1,"_meta":{"acphost":{"sessionId":"s-1","trigger":"auto","preTokens":150000,"postTokens":9000,"durationMs":4200,"contextWindow":200000,"compactionId":"c-1"}}}}}""",
            json);
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task SessionForkedNotification_LeavesOutUnknownFill()
    {
        var notification = new SessionForkedNotification { SessionId = "s-2", ParentSessionId = "s-1", Reason = "command", UsedTokens = 12 };

        string json = JsonSerializer.Serialize(notification, AcpJsonContext.Default.SessionForkedNotification);

        Assert.Equal("""{"sessionId":"s-2","parentSessionId":"s-1","reason":"command","usedTokens":12}""", json);
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task AgentRestartedNotification_WritesEveryMember()
    {
        var notification = new AgentRestartedNotification { Attempt = 1, ExitCode = 137, SessionsResumed = 2, SessionsLost = 1, LostSessionIds = ["s-3"] };

        string json = JsonSerializer.Serialize(notification, AcpJsonContext.Default.AgentRestartedNotification);

        Assert.Equal("""{"attempt":1,"exitCode":137,"sessionsResumed":2,"sessionsLost":1,"lostSessionIds":["s-3"]}""", json);
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task LedgerLines_KeepTheirShapeOnDisk()
    {
        var session = new SessionRecord { SessionId = "s-2", ParentSessionId = "s-1", ForkReason = "command", Cwd = "/w", UsedTokens = 5, Compactions = 1 };

        string compaction = JsonSerializer.Serialize(Record, LedgerJsonContext.Default.CompactionRecord);
        string sessionLine = JsonSerializer.Serialize(session, LedgerJsonContext.Default.SessionRecord);

        Assert.Equal(
            """{"id":"c-1","sessionId":"s-1","trigger":"auto","preTokens":150000,"postTokens":null,"durationMs":4200,"contextWindow":null,"at":"2026-11-26T02:30:00+00:00","source":"live"}""",
            compaction);
        Assert.Equal(
            """{"sessionId":"s-2","parentSessionId":"s-1","forkReason":"command","cwd":"/w","createdAt":null,"usedTokens":5,"contextWindow":null,"compactions":1}""",
            sessionLine);
        await Task.CompletedTask;
    }
}
