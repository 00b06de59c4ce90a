using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace AcpHost.Hosting;

/// <summary>
/// Holds log events written before the host's logger exists and hands them, then every later one, to that logger.
/// It lets the agent start before the logger is built (building it opens the log file and takes about 20 ms of the
/// editor's wait) without losing the agent's first stderr lines or the line that says it started.
/// </summary>
internal sealed class HandOverSink : ILogEventSink
{
    private readonly Lock _gate = new();
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

        target.Write(logEvent);
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
                target.Write(held);
            }

            _held = null;
            _target = target;
        }
    }
}
