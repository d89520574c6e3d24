using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace AutoMLStudio.Web.Tests;

/// <summary>
/// A logging provider that keeps every entry the studio writes, at every level and in every category, with its
/// formatted message, its structured values and its exception, so a test can say what reached the logs.
/// </summary>
public sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<Entry> _entries = new();

    public sealed record Entry(LogLevel Level, string Category, string Message, string Values, string? Exception)
    {
        public string All => $"{Message}\n{Values}\n{Exception}";
    }

    public IReadOnlyList<Entry> Entries => [.. _entries];

    /// <summary>Adds this provider to a studio's logging with every level of every category switched on.</summary>
    public void AddTo(ILoggingBuilder logging)
    {
        logging.AddProvider(this);
        logging.SetMinimumLevel(LogLevel.Trace);
        logging.AddFilter<LogCapture>(null, LogLevel.Trace);
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose() { }

    private sealed class Logger(LogCapture capture, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join("; ", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
            capture._entries.Enqueue(new Entry(logLevel, category, formatter(state, exception), values, exception?.ToString()));
        }
    }
}
