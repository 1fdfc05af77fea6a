using System.Collections.Concurrent;
using MediaWorker.Testing;
using Microsoft.Extensions.Logging;

namespace MediaWorker.Plugins.Gemini.Tests.Support;

/// <summary>Keeps every formatted log line (and writes it to the test output), so tests can search logs for secrets.</summary>
public sealed class CapturingLogger : ILogger
{
    private readonly TestContextLogger _inner = new("gemini");

    public ConcurrentQueue<string> Lines { get; } = new();

    public string Text => string.Join('\n', Lines);

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        Lines.Enqueue($"{logLevel}: {formatter(state, exception)} {exception}");
        _inner.Log(logLevel, eventId, state, exception, formatter);
    }
}
