using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace AutoMLStudio.Web.UiTests;

/// <summary>Keeps what a component logged, so a test can check that a fault was reported.</summary>
public sealed class LogSink : ILoggerProvider
{
    public sealed record Entry(LogLevel Level, string Message, Exception? Exception);

    public ConcurrentQueue<Entry> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Sink(this);

    public void Dispose()
    {
    }

    private sealed class Sink(LogSink owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Entries.Enqueue(new Entry(logLevel, formatter(state, exception), exception));
    }
}
