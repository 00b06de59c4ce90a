using AcpHost.Cli;
using AcpHost.Events;

namespace AcpHost.Tests.Cli;

/// <summary>
/// <c>acphost sessions</c> on a very deep chain of forks: its memory and its lines grow with the ledger, not with the
/// square of the depth (an 8,000-deep chain took 561 MiB, a 20,000-deep one 5.9 GB and 47 s).
/// </summary>
public class SessionTreeDepthTests
{
    private const int Timeout = 60_000;

    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private static List<SessionRecord> Chain(int length) =>
        [.. Enumerable.Range(0, length).Select(i => new SessionRecord
        {
            SessionId = "s-" + i,
            ParentSessionId = i == 0 ? null : "s-" + (i - 1),
            ForkReason = i == 0 ? null : "command",
            Cwd = "/work",
            CreatedAt = T0.AddSeconds(i),
        })];

    [Fact(Timeout = Timeout)]
    public async Task Lines_AChainOfEightThousandForks_AllocateAndDrawLinearlyWithTheDepthShown()
    {
        List<SessionRecord> chain = Chain(8_000);

        long before = GC.GetAllocatedBytesForCurrentThread();
        List<string> lines = [.. SessionTable.Lines(SessionTree.Arrange(chain))];
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(8_000 + 2, lines.Count); // the header, a line each, the summary
        Assert.True(allocated < 64L * 1024 * 1024, $"drawing 8,000 forks allocated {allocated / 1048576} MiB");
        Assert.True(lines.Max(line => line.Length) < 300, $"the longest line is {lines.Max(line => line.Length)} characters");
        string deepest = lines[^2];
        Assert.Contains("7999", deepest[..deepest.IndexOf("s-7999", StringComparison.Ordinal)], StringComparison.Ordinal);
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Arrange_ShallowTree_IsDrawnInFull()
    {
        List<(SessionRecord Session, string Branch)> tree = SessionTree.Arrange(Chain(4));

        Assert.Equal(["", "└─ ", "   └─ ", "      └─ "], tree.Select(node => node.Branch));
        await Task.CompletedTask;
    }
}
