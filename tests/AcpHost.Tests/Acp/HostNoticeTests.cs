using System.Text;
using AcpHost.Acp;

namespace AcpHost.Tests.Acp;

/// <summary>A host notice in the agent's own convention (its session-notices.js), byte for byte, each way.</summary>
public class HostNoticeTests
{
    private const int Timeout = 5_000;

    private static readonly HostNotice Notice = new("s-1", NoticeKind.Compaction, "Context compacted", "823,412 → 12,104 tokens.")
    {
        Parts = ["Trigger: automatic.", "Kept in fork f-1."],
    };

    [Fact(Timeout = Timeout)]
    public async Task UpdateParams_ClientShowsNotices_IsANoticeUpdateWithItsKindInMeta()
    {
        string json = Encoding.UTF8.GetString(Notice.UpdateParams(asNotice: true));

        Assert.Equal(
            """{"sessionId":"s-1","update":{"sessionUpdate":"notice","severity":"info","title":"Context compacted","description":"823,412 → 12,104 tokens.\nTrigger: automatic.\nKept in fork f-1.","_meta":{"acphost":{"notice":"compaction"}}}}""",
            json);
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task UpdateParams_ClientWithoutNotices_IsTheBoldLabelChunkMarkedInMeta()
    {
        string json = Encoding.UTF8.GetString(Notice.UpdateParams(asNotice: false));

        Assert.Equal(
            """{"sessionId":"s-1","update":{"sessionUpdate":"agent_message_chunk","content":{"type":"text","text":"\n\n**Context compacted:** 823,412 → 12,104 tokens.\n\n- Trigger: automatic.\n- Kept in fork f-1.\n\n"},"_meta":{"acphost":{"notice":"compaction"}}}}""",
            json);
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task UpdateParams_ChunkForAV2Client_NamesItsMessage()
    {
        string json = Encoding.UTF8.GetString((Notice with { Parts = [] }).UpdateParams(asNotice: false, messageId: "m-1"));

        Assert.Contains("\"text\":\"\\n\\n**Context compacted:** 823,412 → 12,104 tokens.\\n\\n\"},\"messageId\":\"m-1\",", json, StringComparison.Ordinal);
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task TranscriptText_AnIndentedPart_IsAnItemOfThePartBefore()
    {
        HostNotice notice = Notice with { Parts = ["Forks: 1:", "  f-1: /fork"] };

        Assert.EndsWith("- Forks: 1:\n  - f-1: /fork\n\n", notice.TranscriptText, StringComparison.Ordinal);
        Assert.EndsWith("\nForks: 1:\n  f-1: /fork", notice.Description, StringComparison.Ordinal);
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Kinds_HaveDistinctNamesAndSwitches()
    {
        Assert.Equal(NoticeKind.All.Count, NoticeKind.All.Select(kind => kind.Name).Distinct().Count());
        Assert.Equal(NoticeKind.All.Count, NoticeKind.All.Select(kind => kind.Switch).Distinct().Count());
        Assert.All(NoticeKind.All, kind => Assert.Contains(kind.Severity, new[] { "info", "warning", "error" }));
        await Task.CompletedTask;
    }
}
