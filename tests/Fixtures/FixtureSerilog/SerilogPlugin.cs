using MediaWorker.Plugins.Abstractions;

namespace FixtureSerilog;

/// <summary>Serves <c>serilog_version</c>.</summary>
public sealed class SerilogPlugin : IMediaWorkerPlugin
{
    public IEnumerable<ITaskHandler> CreateHandlers(PluginContext context) => [new SerilogVersionHandler()];
}
