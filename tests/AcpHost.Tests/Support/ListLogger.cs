using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace AcpHost.Tests.Support;

/// <summary>A logger that keeps what it is told, so tests can check that a log line was written.</summary>
internal sealed class ListLogger<T> : ILogger<T>
{
    public ConcurrentQueue<(LogLevel Level, string Message)> Entries { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Entries.Enqueue((logLevel, formatter(state, exception)));

    public bool Contains(LogLevel level, string fragment) =>
        Entries.Any(entry => entry.Level == level && entry.Message.Contains(fragment, StringComparison.Ordinal));
}
