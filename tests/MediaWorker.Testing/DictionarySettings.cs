using MediaWorker.Plugins.Abstractions;

namespace MediaWorker.Testing;

/// <summary>Plugin settings from a dictionary, like the daemon's resolved configuration (empty values count as unset).</summary>
public sealed class DictionarySettings(IReadOnlyDictionary<string, string?>? values = null) : IPluginSettings
{
    public string? GetValue(string name) => values is not null && values.TryGetValue(name, out var value) && !string.IsNullOrEmpty(value) ? value : null;
}
