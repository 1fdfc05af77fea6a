using MediaWorker.Plugins.Abstractions;

namespace FixtureExecutionLog;

/// <summary>Serves <c>logged_sleep</c>.</summary>
public sealed class ExecutionLogPlugin : IMediaWorkerPlugin
{
    public IEnumerable<ITaskHandler> CreateHandlers(PluginContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        yield return new LoggedSleepHandler(context.Settings.GetValue("WORKER_ID") ?? "?", context.Time);
    }
}
