using System.Text;
using AcpHost.Features.Fork;
using AcpHost.Features.Sessions;

namespace AcpHost.Tests.Features.Sessions;

public class HeldLinesTests
{
    private const int Timeout = 5_000;

    private static ReadOnlyMemory<byte> Line(string text) => Encoding.UTF8.GetBytes(text);

    [Fact(Timeout = Timeout)]
    public async Task Enqueue_SessionNotHeld_ReturnsNull()
    {
        var held = new HeldLines(maxLines: 4, maxBytes: 1024);

        Assert.Null(held.Enqueue("s", Line("a")));
        Assert.False(held.Any);
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task ReleaseAsync_LastHoldDropped_SendsInOrderThenFreesTheSession()
    {
        var held = new HeldLines(maxLines: 4, maxBytes: 1024);
        held.Hold("s");
        held.Hold("s");
        Assert.True(held.Enqueue("s", Line("a")));
        Assert.True(held.Enqueue("s", Line("b")));
        var sent = new List<string>();

        await held.ReleaseAsync("s", line => { sent.Add(Encoding.UTF8.GetString(line.Span)); return ValueTask.CompletedTask; });
        Assert.Empty(sent);
        await held.ReleaseAsync("s", line => { sent.Add(Encoding.UTF8.GetString(line.Span)); return ValueTask.CompletedTask; });

        Assert.Equal(["a", "b"], sent);
        Assert.False(held.IsHeld("s"));
        Assert.False(held.Any);
    }

    [Fact(Timeout = Timeout)]
    public async Task Enqueue_WhileDraining_QueuesBehindAndIsSentInTheSameRelease()
    {
        var held = new HeldLines(maxLines: 4, maxBytes: 1024);
        held.Hold("s");
        held.Enqueue("s", Line("a"));
        var sent = new List<string>();

        await held.ReleaseAsync("s", line =>
        {
            sent.Add(Encoding.UTF8.GetString(line.Span));
            if (sent.Count == 1)
            {
                // A message that arrives while the held ones are let go must not overtake them.
                Assert.True(held.Enqueue("s", Line("late")));
            }

            return ValueTask.CompletedTask;
        });

        Assert.Equal(["a", "late"], sent);
    }

    [Fact(Timeout = Timeout)]
    public async Task Enqueue_MoreLinesThanAllowed_ReportsTheOverflow()
    {
        var held = new HeldLines(maxLines: 2, maxBytes: 1024);
        held.Hold("s");

        Assert.True(held.Enqueue("s", Line("a")));
        Assert.True(held.Enqueue("s", Line("b")));
        Assert.False(held.Enqueue("s", Line("c")));
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Enqueue_MoreBytesThanAllowed_ReportsTheOverflow()
    {
        var held = new HeldLines(maxLines: 100, maxBytes: 5);
        held.Hold("s");

        Assert.True(held.Enqueue("s", Line("abcd")));
        Assert.False(held.Enqueue("s", Line("ef")));
        await Task.CompletedTask;
    }
}
