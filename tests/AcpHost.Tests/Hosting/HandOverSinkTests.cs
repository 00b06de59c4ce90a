using AcpHost.Hosting;
using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace AcpHost.Tests.Hosting;

public class HandOverSinkTests
{
    private const int Timeout = 5_000;

    [Fact(Timeout = Timeout)]
    public async Task EventsBeforeTheHandOver_ReachTheTargetInOrder_AndLaterOnesFollow()
    {
        var early = new HandOverSink();
        using Logger logger = early.CreateLogger();
        var collected = new CollectingSink();
        using Logger target = new LoggerConfiguration().MinimumLevel.Verbose().WriteTo.Sink(collected).CreateLogger();

        logger.Information("one");
        logger.Debug("two");
        Assert.Empty(collected.Messages);

        early.HandOver(target);
        logger.Warning("three");

        Assert.Equal(["one", "two", "three"], collected.Messages);
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task TheTargetsLevels_IncludingPerSourceOverrides_FilterForwardedEvents()
    {
        var early = new HandOverSink();
        using Logger logger = early.CreateLogger();
        var collected = new CollectingSink();
        using Logger target = new LoggerConfiguration()
            .MinimumLevel.Information()
            .MinimumLevel.Override("agent", LogEventLevel.Warning)
            .WriteTo.Sink(collected)
            .CreateLogger();

        logger.ForContext(Constants.SourceContextPropertyName, "agent").Information("agent chatter, held");
        logger.ForContext(Constants.SourceContextPropertyName, "AcpHost.Agent.AgentLauncher").Information("started");
        logger.Debug("below the target's level");
        early.HandOver(target);
        logger.ForContext(Constants.SourceContextPropertyName, "agent").Information("agent chatter, live");
        logger.ForContext(Constants.SourceContextPropertyName, "agent").Error("agent error");

        Assert.Equal(["started", "agent error"], collected.Messages);
        await Task.CompletedTask;
    }

    [Fact(Timeout = Timeout)]
    public async Task EventsWrittenWhileHandingOver_AreNeitherLostNorReordered()
    {
        var early = new HandOverSink();
        using Logger logger = early.CreateLogger();
        var collected = new CollectingSink();
        using Logger target = new LoggerConfiguration().MinimumLevel.Verbose().WriteTo.Sink(collected).CreateLogger();
        for (int i = 0; i < 1000; i++)
        {
            logger.Information("{N}", i);
        }

        Task writer = Task.Run(() =>
        {
            for (int i = 1000; i < 3000; i++)
            {
                logger.Information("{N}", i);
            }
        });
        early.HandOver(target);
        await writer;

        Assert.Equal(Enumerable.Range(0, 3000).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), collected.Messages);
    }

    private sealed class CollectingSink : ILogEventSink
    {
        private readonly List<string> _messages = [];

        public IReadOnlyList<string> Messages
        {
            get
            {
                lock (_messages)
                {
                    return [.. _messages];
                }
            }
        }

        public void Emit(LogEvent logEvent)
        {
            lock (_messages)
            {
                _messages.Add(logEvent.RenderMessage(System.Globalization.CultureInfo.InvariantCulture));
            }
        }
    }
}
