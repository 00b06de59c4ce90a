using AcpHost.Events;

namespace AcpHost.Tests.Events;

/// <summary>
/// A subscriber that lags never loses a compaction or a fork to a flood of context fills, is never cut off, and is
/// told how many events were not kept for it when its queue could not hold them.
/// </summary>
public class HostEventBusTests
{
    private const int Timeout = 20_000;

    private static readonly DateTimeOffset At = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private static ContextFillChanged Fill(string sessionId, long used) => new() { SessionId = sessionId, UsedTokens = used, ContextWindow = 1_000_000, At = At };

    private static SessionForked Fork(int n) => new() { SessionId = "f-" + n, ParentSessionId = "s", Reason = ForkReasons.Command, At = At };

    private static List<HostEvent> ReadQueued(HostEventBus.Subscription subscription)
    {
        var read = new List<HostEvent>();
        while (subscription.Reader.TryRead(out HostEvent? hostEvent))
        {
            read.Add(hostEvent);
        }

        return read;
    }

    [Fact(Timeout = Timeout)]
    public async Task Publish_FiftyThousandFillsThenACompaction_TheLaggingSubscriberGetsTheLatestFillsAndTheCompaction()
    {
        var bus = new HostEventBus();
        using HostEventBus.Subscription subscription = bus.Subscribe();
        for (int i = 1; i <= 50_000; i++)
        {
            bus.Publish(Fill("s-" + (i % 3), i));
        }

        var compaction = CompactionRecorded.Of(new CompactionRecord { Id = "cmp-1", SessionId = "s-1", Source = CompactionSources.ToolCall, At = At }, isUpdate: false);
        bus.Publish(compaction);

        Assert.True(await subscription.Reader.WaitToReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
        List<HostEvent> read = ReadQueued(subscription);
        Assert.Equal([49_998L, 49_999L, 50_000L], read.OfType<ContextFillChanged>().Select(f => f.UsedTokens!.Value).Order());
        Assert.Same(compaction, read[^1]);
        Assert.Empty(read.OfType<EventsDropped>());
    }

    [Fact(Timeout = Timeout)]
    public async Task Publish_MoreEventsThanTheQueueHolds_TheRestAreCountedInTheirPlaceAndTheSubscriptionGoesOn()
    {
        var bus = new HostEventBus();
        using HostEventBus.Subscription subscription = bus.Subscribe(queueLength: 4);
        for (int n = 0; n < 10; n++)
        {
            bus.Publish(Fork(n));
        }

        List<HostEvent> first = ReadQueued(subscription);
        bus.Publish(Fork(10));
        List<HostEvent> then = ReadQueued(subscription);

        Assert.Equal(["f-0", "f-1", "f-2", "f-3"], first.Take(4).Cast<SessionForked>().Select(f => f.SessionId));
        Assert.Equal(6, Assert.IsType<EventsDropped>(first[4]).Count);
        Assert.Equal("f-10", Assert.IsType<SessionForked>(Assert.Single(then)).SessionId);
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task Dispose_WhatWasQueuedIsStillReadThenTheReaderEnds()
    {
        var bus = new HostEventBus();
        HostEventBus.Subscription subscription = bus.Subscribe();
        bus.Publish(Fork(1));
        subscription.Dispose();
        bus.Publish(Fork(2));

        var read = new List<HostEvent>();
        await foreach (HostEvent hostEvent in subscription.Reader.ReadAllAsync().WithCancellation(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token))
        {
            read.Add(hostEvent);
        }

        Assert.Equal("f-1", Assert.IsType<SessionForked>(Assert.Single(read)).SessionId);
        Assert.False(bus.HasSubscribers);
    }
}
