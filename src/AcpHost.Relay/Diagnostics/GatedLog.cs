using Microsoft.Extensions.Logging;

namespace AcpHost.Relay.Diagnostics;

/// <summary>Logs a repeated line through a <see cref="LogGate"/>, saying when lines start being counted and how many were.</summary>
public static partial class GatedLog
{
    /// <summary>
    /// Writes the line through <paramref name="write"/> when <paramref name="gate"/> lets it pass; otherwise counts it.
    /// <paramref name="kind"/> names the kind of line in the notices about the held-back ones.
    /// </summary>
    public static void Write<TState>(ILogger logger, LogGate gate, string kind, TState state, Action<ILogger, TState> write)
    {
        ArgumentNullException.ThrowIfNull(gate);
        ArgumentNullException.ThrowIfNull(write);
        if (gate.TryPass(out long suppressedBefore, out bool startsSuppressing))
        {
            if (suppressedBefore > 0)
            {
                NotLogged(logger, suppressedBefore, kind, gate.Interval);
            }

            write(logger, state);
        }
        else if (startsSuppressing)
        {
            Suppressing(logger, kind, gate.Burst, gate.Interval);
        }
    }

    [LoggerMessage(EventId = 130, Level = LogLevel.Warning, Message = "{Count} more line(s) \"{Kind}\" were not logged in the last {Interval}")]
    private static partial void NotLogged(ILogger logger, long count, string kind, TimeSpan interval);

    [LoggerMessage(EventId = 131, Level = LogLevel.Warning, Message = "More than {Burst} lines \"{Kind}\" within {Interval}: the rest are counted, not logged, until it ends")]
    private static partial void Suppressing(ILogger logger, string kind, int burst, TimeSpan interval);
}
