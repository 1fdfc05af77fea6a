using MediaWorker.Plugins.Abstractions;

namespace FixtureNative;

/// <summary>Serves <c>native_add</c>.</summary>
public sealed class NativePlugin : IMediaWorkerPlugin
{
    public IEnumerable<ITaskHandler> CreateHandlers(PluginContext context) => [new NativeAddHandler()];
}
