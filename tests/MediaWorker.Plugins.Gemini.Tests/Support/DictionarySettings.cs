using MediaWorker.Plugins.Abstractions;

namespace MediaWorker.Plugins.Gemini.Tests.Support;

/// <summary>Plugin settings from a dictionary, like the daemon's resolved configuration.</summary>
public sealed class DictionarySettings(IReadOnlyDictionary<string, string?> values) : IPluginSettings
{
    public string? GetValue(string name) => values.TryGetValue(name, out var value) && !string.IsNullOrEmpty(value) ? value : null;
}
