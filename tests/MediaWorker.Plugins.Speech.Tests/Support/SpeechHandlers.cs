using MediaWorker.Plugins.Abstractions;
using MediaWorker.Testing;

namespace MediaWorker.Plugins.Speech.Tests.Support;

/// <summary>The plugin's handlers as the daemon creates them, with the given settings.</summary>
internal static class SpeechHandlers
{
    public static IReadOnlyList<ITaskHandler> Create(IPluginSettings settings, int workerConcurrency = 1) =>
        new SpeechPlugin().CreateHandlers(new PluginContext(AppContext.BaseDirectory, settings, new TestContextLogger("speech"), workerConcurrency)).ToList();

    /// <summary>The handler of <paramref name="taskType"/>, using the test model.</summary>
    public static ITaskHandler For(string taskType, string? modelPath = null) =>
        Create(TestSettings.WithTestModel(modelPath)).Single(h => h.Descriptor.TaskType == taskType);
}
