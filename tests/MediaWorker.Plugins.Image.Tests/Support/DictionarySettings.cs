using MediaWorker.Plugins.Abstractions;

namespace MediaWorker.Plugins.Image.Tests.Support;

/// <summary>Plugin settings from a dictionary.</summary>
public sealed class DictionarySettings(IReadOnlyDictionary<string, string>? values = null) : IPluginSettings
{
    public string? GetValue(string name) => values is not null && values.TryGetValue(name, out var v) && v.Length > 0 ? v : null;
}
