namespace MediaWorker.Plugins.Abstractions;

/// <summary>
/// Versioning facts of the plugin contract that a plugin's manifest is checked against.
/// </summary>
public static class PluginContract
{
    /// <summary>
    /// The contract major version this assembly implements. A plugin whose manifest names another
    /// major version is refused at load with a message naming both numbers.
    /// </summary>
    /// <remarks>
    /// Within one major version members are only ever added, never changed or removed, and the
    /// assembly version stays frozen at <c>1.0.0.0</c>, so a plugin built against 1.0 keeps loading.
    /// </remarks>
    public const int MajorVersion = 1;

    /// <summary>The file name of the manifest every plugin folder carries.</summary>
    public const string ManifestFileName = "plugin.json";
}
