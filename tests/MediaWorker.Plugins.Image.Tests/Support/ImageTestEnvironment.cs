using System.Text.Json.Nodes;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Testing;
using NUnit.Framework;

namespace MediaWorker.Plugins.Image.Tests;

/// <summary>
/// Made once for the whole test run: a sandbox root with the test images, and the plugin's handlers
/// created the way the daemon creates them.
/// </summary>
[SetUpFixture]
public sealed class ImageTestEnvironment
{
    private static TempDirectory? _root;
    private static Support.TestImages? _images;
    private static IReadOnlyDictionary<string, ITaskHandler>? _handlers;

    /// <summary>The sandbox root: jobs may read and write anywhere under it.</summary>
    public static string Root => _root?.Path ?? throw new InvalidOperationException("The environment is not set up.");

    public static Support.TestImages Images => _images ?? throw new InvalidOperationException("The environment is not set up.");

    public static ITaskHandler Handler(string taskType) => _handlers![taskType];

    /// <summary>Creates the plugin's handlers with these settings (the daemon does this once at load).</summary>
    public static IReadOnlyDictionary<string, ITaskHandler> CreateHandlers(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var context = new PluginContext(Root, new MediaWorker.Testing.DictionarySettings(settings), new TestContextLogger("image"), workerConcurrency: 2);
        return new ImagePlugin().CreateHandlers(context).ToDictionary(h => h.Descriptor.TaskType);
    }

    /// <summary>Runs a task in-process with the real sandbox.</summary>
    public static Task<JsonObject> RunAsync(string taskType, JsonObject parameters, CancellationToken cancellationToken = default) =>
        RunAsync(Handler(taskType), parameters, cancellationToken);

    public static Task<JsonObject> RunAsync(ITaskHandler handler, JsonObject parameters, CancellationToken cancellationToken = default) =>
        TestJobContext.RunAsync(handler, new TestJobContext(Root, handler.Descriptor.TaskType, parameters), cancellationToken);

    [OneTimeSetUp]
    public void SetUp()
    {
        _root = new TempDirectory("mw-image");
        _images = new Support.TestImages(Path.Combine(_root.Path, "images"));
        _handlers = CreateHandlers();
    }

    [OneTimeTearDown]
    public void TearDown() => _root?.Dispose();
}
