namespace MediaWorker.Plugins;

/// <summary>
/// Why one plugin folder could not be loaded, phrased for the person who installed it. The loader
/// turns it into a <see cref="PluginLoadFailure"/>; it never escapes the plugin host.
/// </summary>
internal sealed class PluginLoadException : Exception
{
    public PluginLoadException(string reason)
        : base(reason)
    {
    }

    public PluginLoadException(string reason, Exception innerException)
        : base(reason, innerException)
    {
    }

    public PluginLoadException()
    {
    }

    /// <summary>The plugin's name when its manifest was readable, so the failure can show it.</summary>
    public string? PluginName { get; init; }
}
