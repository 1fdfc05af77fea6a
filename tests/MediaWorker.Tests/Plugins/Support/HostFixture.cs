using MediaWorker.Configuration;
using MediaWorker.Plugins;
using MediaWorker.Testing;

namespace MediaWorker.Tests.Plugins.Support;

/// <summary>A temporary plugin directory and a <see cref="PluginHost"/> over it, with short drop-in timings.</summary>
internal sealed class HostFixture : IDisposable
{
    private readonly TempDirectory _root = new("mw-plugins");

    /// <param name="settings">Settings the plugins see (as if given as flags).</param>
    /// <param name="time">The host's clock (drop-in timings run on it); the system clock when null.</param>
    public HostFixture(IReadOnlyDictionary<string, string>? settings = null, TimeProvider? time = null)
    {
        PluginDirectory = _root.Combine("plugins");
        Directory.CreateDirectory(PluginDirectory);
        Host = new PluginHost(
            PluginDirectory,
            new SettingsSource(settings, environment: _ => null),
            new TestContextLogger("plugins"),
            workerConcurrency: 2,
            Catalog,
            quietPeriod: TimeSpan.FromMilliseconds(200),
            incompleteGrace: TimeSpan.FromSeconds(1),
            time);
    }

    public string PluginDirectory { get; }

    public string Root => _root.Path;

    public TaskCatalog Catalog { get; } = new();

    public PluginHost Host { get; }

    public string Copy(string fixture, string? folderName = null) => FixturePlugins.CopyInto(PluginDirectory, fixture, folderName);

    public void Dispose()
    {
        Host.Dispose();
        _root.Dispose();
    }
}
