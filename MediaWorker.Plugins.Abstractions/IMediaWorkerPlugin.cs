namespace MediaWorker.Plugins.Abstractions;

/// <summary>
/// The entry type of a plugin: the host creates one instance per plugin folder (through a public
/// parameterless constructor) and asks it for its task handlers once, at load.
/// </summary>
/// <remarks>
/// Keep construction cheap and side-effect free: expensive resources (models, native libraries)
/// belong in the handlers, created lazily on first use. An exception thrown here marks the whole
/// plugin as failed to load; the daemon keeps running with the other plugins.
/// </remarks>
public interface IMediaWorkerPlugin
{
    /// <summary>Creates the task handlers this plugin serves.</summary>
    /// <param name="context">What the host offers the plugin: its folder, settings and logging.</param>
    /// <returns>One handler per task type; task types must be unique across all loaded plugins.</returns>
    IEnumerable<ITaskHandler> CreateHandlers(PluginContext context);
}
