using System.Text;
using AcpHost.Features.Fork;

namespace AcpHost.Tests.Features.Fork;

/// <summary>Held lines: held in one step with their first line, let go in order, none left behind.</summary>
public sealed class HeldLinesTests
{
    private const int Timeout = 20_000;

    private static ReadOnlyMemory<byte> Line(string text) => Encoding.UTF8.GetBytes(text);

    [Fact(Timeout = Timeout)]
    public async Task HoldWith_ThenMoreLines_AllLetGoInOrderAndTheSessionIsFree()
    {
        var held = new HeldLines(maxLines: 8, maxBytes: 1024);
        var sent = new List<string>();

        Assert.True(held.HoldWith("s1", Line("a")));
        Assert.True(held.Enqueue("s1", Line("b")));
        await held.ReleaseAsync("s1", line => { sent.Add(Encoding.UTF8.GetString(line.Span)); return ValueTask.CompletedTask; }, all: true);

        Assert.Equal(["a", "b"], sent);
        Assert.False(held.IsHeld("s1"));
        Assert.Null(held.Enqueue("s1", Line("c")));
    }

    [Fact(Timeout = Timeout)]
    public async Task HoldWith_LinePastTheBound_SaysSo()
    {
        var held = new HeldLines(maxLines: 1, maxBytes: 1024);

        Assert.True(held.HoldWith("s1", Line("a")));
        Assert.False(held.HoldWith("s1", Line("b")));
        await Task.CompletedTask;
    }

    /// <summary>
    /// The fork announcer's race, on its own: a line held while someone lets the session go is sent by one of the two
    /// releases, whatever the order. Held in two steps (hold, then enqueue), a release between them drained the empty
    /// queue and freed the session, and the line was queued nowhere: the fork's first update never reached the client.
    /// </summary>
    [Fact(Timeout = Timeout)]
    public async Task HoldWith_RacingARelease_TheLineIsSentOnce()
    {
        for (int i = 0; i < 2_000; i++)
        {
            var held = new HeldLines(maxLines: 8, maxBytes: 1024);
            int sent = 0;
            ValueTask Send(ReadOnlyMemory<byte> line)
            {
                Interlocked.Increment(ref sent);
                return ValueTask.CompletedTask;
            }

            using var start = new Barrier(2);
            Task holding = Task.Run(() =>
            {
                start.SignalAndWait();
                held.HoldWith("s1", Line("update"));
            });
            Task releasing = Task.Run(async () =>
            {
                start.SignalAndWait();
                await held.ReleaseAsync("s1", Send, all: true);
            });
            await Task.WhenAll(holding, releasing);

            // As the announcer does once the line is held: look again and let go.
            await held.ReleaseAsync("s1", Send, all: true);
            Assert.True(sent == 1, $"iteration {i}: the line was sent {sent} times");
        }
    }
}
