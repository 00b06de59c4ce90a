using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace AcpHost.Hosting;

/// <summary>
/// Holds log events written before the host's logger exists and hands them, then every later one, to that logger.
/// It lets the agent start before the logger is built (building it opens the log file and takes about 20 ms of the
/// editor's wait) without losing the agent's first stderr lines or the line that says it started.
/// </summary>
/// <remarks>
/// Kept after moving to Serilog 4 and Serilog.Extensions.Hosting: the library's bootstrap logger
/// (<c>CreateBootstrapLogger</c>, a <c>ReloadableLogger</c>) switches later events to the final pipeline, but writes
/// each early event at once to the sinks it had then; nothing in Serilog holds early events and replays them into
/// sinks built later, so without this the log file would lack the agent's start and its first stderr lines.
/// </remarks>
internal sealed class HandOverSink : ILogEventSink
{
    private readonly Lock _gate = new();
    private readonly ConcurrentDictionary<string, ILogger> _bySource = new(StringComparer.Ordinal);
    private List<LogEvent>? _held = [];
    private volatile ILogger? _target;

    /// <summary>A logger that writes everything through this sink; the target's own levels filter later.</summary>
    public Logger CreateLogger() => new LoggerConfiguration().MinimumLevel.Verbose().WriteTo.Sink(this).CreateLogger();

    /// <inheritdoc/>
    public void Emit(LogEvent logEvent)
    {
        ILogger? target = _target;
        if (target is null)
        {
            lock (_gate)
            {
                target = _target;
                if (target is null)
                {
                    _held!.Add(logEvent);
                    return;
                }
            }
        }

        Forward(target, logEvent);
    }

    /// <summary>Writes the held events to <paramref name="target"/>, in order, and sends it everything from now on.</summary>
    public void HandOver(ILogger target)
    {
        lock (_gate)
        {
            if (_target is not null)
            {
                return;
            }

            // Replayed under the lock, so an event emitted meanwhile cannot overtake the ones held before it.
            foreach (LogEvent held in _held!)
            {
                Forward(target, held);
            }

            _held = null;
            _target = target;
        }
    }

    /// <summary>
    /// Writes through a logger for the event's source, so the target's per-source levels (a <c>Serilog</c> section's
    /// <c>MinimumLevel:Override</c>, say for the agent's stderr under <c>agent</c>) filter it as they filter the rest.
    /// </summary>
    private void Forward(ILogger target, LogEvent logEvent)
    {
        ILogger logger = target;
        if (logEvent.Properties.TryGetValue(Constants.SourceContextPropertyName, out LogEventPropertyValue? value)
            && value is ScalarValue { Value: string source })
        {
            logger = _bySource.GetOrAdd(source, static (name, root) => root.ForContext(Constants.SourceContextPropertyName, name), target);
        }

        logger.Write(logEvent);
    }
}
