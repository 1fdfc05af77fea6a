using MediaWorker.Plugins.Abstractions;

namespace FixtureDropIn;

/// <summary>Serves <c>dropin_echo</c>.</summary>
public sealed class DropInPlugin : IMediaWorkerPlugin
{
    public IEnumerable<ITaskHandler> CreateHandlers(PluginContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        yield return new EchoHandler(context.PluginDirectory);
    }
}
