using System.Reflection;
using MediaWorker.Plugins.Abstractions;

namespace MediaWorker.Plugins.BuiltIn;

/// <summary>
/// The daemon's own diagnostic tasks, <c>noop</c> and <c>sleep</c>, so a fresh install can be tried
/// and benchmarked without media. Registered as plugin <c>builtin</c>, always, before any folder.
/// </summary>
internal sealed class BuiltInPlugin(TimeProvider? timeProvider = null) : IMediaWorkerPlugin
{
    public const string Name = PluginManifest.BuiltInName;

    /// <summary>The daemon's version, which the built-in tasks share.</summary>
    public static string Version { get; } = ReadVersion();

    public IEnumerable<ITaskHandler> CreateHandlers(PluginContext context) =>
        [new NoopHandler(), new SleepHandler(timeProvider ?? TimeProvider.System)];

    private static string ReadVersion()
    {
        var informational = typeof(BuiltInPlugin).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        // The SDK appends "+<commit>" to the informational version; the plugin list shows the release.
        return informational?.Split('+')[0] ?? typeof(BuiltInPlugin).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
    }
}
