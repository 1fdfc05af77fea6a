using System.Collections.Concurrent;
using MediaWorker.Testing;
using Microsoft.Extensions.Logging;

namespace MediaWorker.Tests.Support;

/// <summary>A logger factory that keeps every line (to count and read them) and echoes it to the test's output.</summary>
internal sealed class RecordingLoggerFactory : ILoggerFactory
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();

    public IReadOnlyList<LogEntry> Entries => _entries.ToArray();

    /// <summary>Lines at <paramref name="minimum"/> or above.</summary>
    public IReadOnlyList<LogEntry> AtLeast(LogLevel minimum) => _entries.Where(e => e.Level >= minimum).ToArray();

    public ILogger CreateLogger(string categoryName) => new RecordingLogger(categoryName, _entries);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    internal sealed record LogEntry(LogLevel Level, string Category, string Message);

    private sealed class RecordingLogger(string category, ConcurrentQueue<LogEntry> sink) : ILogger
    {
        private readonly TestContextLogger _echo = new(category);

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            sink.Enqueue(new LogEntry(logLevel, category, formatter(state, exception)));
            _echo.Log(logLevel, eventId, state, exception, formatter);
        }
    }
}
