using Microsoft.Extensions.Logging;

namespace MediaWorker.Execution;

/// <summary>Wraps a logger so every line it writes carries the job's <c>job_id</c> and <c>task_type</c>.</summary>
public sealed class JobLogger(ILogger inner, string jobId, string taskType) : ILogger
{
    private readonly KeyValuePair<string, object>[] _scope = [new("job_id", jobId), new("task_type", taskType)];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => inner.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!inner.IsEnabled(logLevel))
        {
            return;
        }

        using (inner.BeginScope(_scope))
        {
            inner.Log(logLevel, eventId, state, exception, formatter);
        }
    }
}
