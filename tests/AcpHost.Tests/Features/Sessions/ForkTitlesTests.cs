using System.Text;
using System.Text.Json;
using AcpHost.Events;
using AcpHost.Features.Sessions;

namespace AcpHost.Tests.Features.Sessions;

/// <summary>The titles of forks in the agent's <c>session/list</c> answer say what the host knows of them.</summary>
public class ForkTitlesTests
{
    private const int Timeout = 5_000;

    private static readonly Dictionary<string, SessionRecord> Known = new()
    {
        ["p"] = new SessionRecord { SessionId = "p" },
        ["f1"] = new SessionRecord { SessionId = "f1", ParentSessionId = "p", ForkReason = "command", ForkNote = "before-experiment", ForkUsedTokens = 120_000, ContextWindow = 1_000_000 },
        ["f2"] = new SessionRecord { SessionId = "f2", ParentSessionId = "p", ForkReason = "pre-compact" },
    };

    [Fact(Timeout = Timeout)]
    public async Task Annotate_ForksGetReasonOrNoteAndFillAfterTheAgentsTitle_AllElseAsItCame()
    {
        const string answer = """{"jsonrpc":"2.0","id":7,"result":{"sessions":[{"sessionId":"f1","cwd":"/w","title":"Hello (fork)","updatedAt":"2026-12-07T03:53:29.146Z"},{"sessionId":"p","cwd":"/w","title":"Hello"},{"sessionId":"f2","cwd":"/w"},{"sessionId":"x","cwd":"/w","title":"Other"}],"nextCursor":"c"}}""";

        byte[]? annotated = ForkTitles.Annotate(Encoding.UTF8.GetBytes(answer), Known);

        Assert.Equal(
            """{"jsonrpc":"2.0","id":7,"result":{"sessions":[{"sessionId":"f1","cwd":"/w","title":"Hello (fork) — /fork \"before-experiment\", at 12 % of the window","updatedAt":"2026-12-07T03:53:29.146Z"},{"sessionId":"p","cwd":"/w","title":"Hello"},{"sessionId":"f2","cwd":"/w","title":"taken before compaction"},{"sessionId":"x","cwd":"/w","title":"Other"}],"nextCursor":"c"}}""",
            Encoding.UTF8.GetString(annotated!));
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Annotate_NoForkListed_LeavesTheAnswerAlone()
    {
        Assert.Null(ForkTitles.Annotate("""{"jsonrpc":"2.0","id":7,"result":{"sessions":[{"sessionId":"p","cwd":"/w"}]}}"""u8, Known));
        Assert.Null(ForkTitles.Annotate("""{"jsonrpc":"2.0","id":7,"error":{"code":-32603,"message":"x"}}"""u8, Known));
        await Task.CompletedTask;
    }
}
