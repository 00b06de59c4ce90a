using AcpHost.Relay.Transport;

namespace AcpHost.Tests.Transport;

public class StderrTailTests
{
    private const int Timeout = 5_000;

    [Fact(Timeout = Timeout)]
    public async Task Snapshot_MoreLinesThanCapacity_KeepsTheLastOnesOldestFirst()
    {
        var tail = new StderrTail(3);
        foreach (string line in new[] { "a", "b", "c", "d", "e" })
        {
            tail.Add(line);
        }

        Assert.Equal(["c", "d", "e"], tail.Snapshot());
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Snapshot_FewerLinesThanCapacity_ReturnsThemAll()
    {
        var tail = new StderrTail(5);
        tail.Add("only");

        Assert.Equal(["only"], tail.Snapshot());
        await Task.CompletedTask;
    }
}
