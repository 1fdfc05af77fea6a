using MediaWorker.Plugins.Abstractions;

namespace MediaWorker.Plugins.Speech.Tests.Support;

/// <summary>Plugin settings from a dictionary, as the daemon would resolve them.</summary>
internal sealed class TestSettings(IReadOnlyDictionary<string, string?> values) : IPluginSettings
{
    public string? GetValue(string name) => values.TryGetValue(name, out var value) && !string.IsNullOrEmpty(value) ? value : null;

    /// <summary>Settings that use the test model (or <paramref name="modelPath"/>).</summary>
    public static TestSettings WithTestModel(string? modelPath = null) => new(new Dictionary<string, string?>
    {
        ["WHISPER_MODEL_PATH"] = modelPath ?? SpeechAssets.TestModel,
    });
}
