using MediaWorker.Plugins.Abstractions;

namespace FixtureThrowing;

/// <summary>Fails in its constructor, as a plugin with a broken static set-up would.</summary>
public sealed class ThrowingPlugin : IMediaWorkerPlugin
{
    public ThrowingPlugin() => throw new InvalidOperationException("FixtureThrowing refuses to start: THROWING_FIXTURE_SETTING is not set.");

    public IEnumerable<ITaskHandler> CreateHandlers(PluginContext context) => [];
}
