using System.Text.Json.Nodes;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.Gemini.Api;
using MediaWorker.Plugins.Gemini.Configuration;
using MediaWorker.Testing;
using MediaWorker.Testing.Gemini;

namespace MediaWorker.Plugins.Gemini.Tests.Support;

/// <summary>
/// A fake Gemini server, a temp sandbox root and the plugin's handlers configured against them:
/// fast retries and polls, and a 64 KiB upload chunk so small files go up in several chunks.
/// </summary>
public sealed class GeminiRig : IAsyncDisposable
{
    public const int ChunkSize = 64 * 1024;

    private GeminiRig(FakeGeminiServer server, Dictionary<string, string?> settings)
    {
        Server = server;
        Settings = settings;
        Temp = new TempDirectory("mw-gemini");
    }

    public FakeGeminiServer Server { get; }

    public TempDirectory Temp { get; }

    public Dictionary<string, string?> Settings { get; }

    public CapturingLogger Logger { get; } = new();

    public static async Task<GeminiRig> StartAsync()
    {
        var server = await FakeGeminiServer.StartAsync();
        return new GeminiRig(server, server.WorkerSettings());
    }

    internal GeminiSettings ReadSettings() => GeminiSettings.Read(new DictionarySettings(Settings));

    /// <summary>The handler for a task type, built from the current settings.</summary>
    public ITaskHandler Handler(string taskType) =>
        GeminiPlugin.CreateHandlers(ReadSettings(), MediaWorker.Ffmpeg.FfmpegToolPaths.Default, ChunkSize).Single(h => h.Descriptor.TaskType == taskType);

    /// <summary>A Gemini client built from the current settings, logging to <see cref="Logger"/>.</summary>
    internal GeminiClient Client() => new AiClientFactory(ReadSettings(), uploadChunkSize: ChunkSize).CreateGemini(Logger);

    public TestJobContext Context(string taskType, JsonObject parameters, int attempt = 1) => new(Temp.Path, taskType, parameters, attempt);

    /// <summary>Runs a task in-process with the real file sandbox.</summary>
    public Task<JsonObject> RunAsync(string taskType, JsonObject parameters) => RunAsync(Context(taskType, parameters));

    public Task<JsonObject> RunAsync(TestJobContext context) => TestJobContext.RunAsync(Handler(context.TaskType), context);

    /// <summary>Writes a file under the sandbox's compute folder and returns its relative path.</summary>
    public string WriteInput(string relativePath, string content)
    {
        var path = Temp.Combine("compute", relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return relativePath;
    }

    public string WriteInput(string relativePath, byte[] content)
    {
        var path = Temp.Combine("compute", relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
        return relativePath;
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        Temp.Dispose();
    }
}
