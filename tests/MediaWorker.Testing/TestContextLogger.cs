using Microsoft.Extensions.Logging;
using NUnit.Framework;

namespace MediaWorker.Testing;

/// <summary>An ILogger that writes to NUnit's progress output, so a failing test shows what the code logged.</summary>
public sealed class TestContextLogger(string category) : ILogger, ILoggerFactory
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        TestContext.Progress.WriteLine($"[{logLevel}] {category}: {formatter(state, exception)}{(exception is null ? string.Empty : " " + exception)}");
    }

    public ILogger CreateLogger(string categoryName) => new TestContextLogger(categoryName);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }
}
