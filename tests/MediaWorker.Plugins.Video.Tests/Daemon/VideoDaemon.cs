using System.Text.Json.Nodes;
using MediaWorker.Testing;

namespace MediaWorker.Plugins.Video.Tests.Daemon;

/// <summary>
/// A real <c>mediaworker</c> with only the published Video plugin in its plugin folder, its own
/// database and sandbox, and the CLI to submit, inspect and cancel jobs.
/// </summary>
public sealed class VideoDaemon : IDisposable
{
    private readonly TempDirectory _directory = new("mw-video-daemon");

    public VideoDaemon()
    {
        var plugins = Path.Combine(_directory.Path, "plugins");
        CopyFolder(Path.Combine(RepoPaths.PublishedPlugins, "Video"), Path.Combine(plugins, "Video"));
        Environment = new Dictionary<string, string?>
        {
            ["CL_SERVER_DIR"] = _directory.Path,
            ["DATABASE_URL"] = Path.Combine(_directory.Path, "media_store.db"),
            ["PLUGIN_DIR"] = plugins,
            ["MEDIA_ALLOWED_ROOTS"] = _directory.Path,
            ["BROADCAST_TYPE"] = "noop",
            ["WORKER_CONCURRENCY"] = "2",
            ["LOG_LEVEL"] = "information",
        };
    }

    public string Root => _directory.Path;

    public Dictionary<string, string?> Environment { get; }

    public WorkerProcess? Worker { get; private set; }

    /// <summary>Copies a file into the sandbox and returns its absolute path there.</summary>
    public string AddMedia(string source)
    {
        var media = Path.Combine(Root, "media");
        Directory.CreateDirectory(media);
        var target = Path.Combine(media, Path.GetFileName(source));
        File.Copy(source, target, overwrite: true);
        return target;
    }

    public async Task StartAsync()
    {
        Worker = WorkerProcess.Start(["run", "--worker-id", "video-" + Guid.NewGuid().ToString("N")[..8]], Environment);
        if (!await Worker.WaitForOutputAsync("started", TimeSpan.FromSeconds(60)))
        {
            throw new InvalidOperationException("The worker did not start:\n" + Worker.OutputText);
        }
    }

    /// <summary>Runs a CLI command; returns the exit code and the JSON (or text) on its last line.</summary>
    public async Task<(int ExitCode, string LastLine, string Output)> CliAsync(params string[] args)
    {
        var (exit, output) = await WorkerProcess.RunAsync(args, Environment, TimeSpan.FromSeconds(120));
        return (exit, output.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? string.Empty, output);
    }

    public async Task<JsonObject> SubmitAndWaitAsync(string taskType, JsonObject parameters)
    {
        var (_, last, output) = await CliAsync("submit", taskType, "--params", parameters.ToJsonString(), "--wait", "--max-retries", "0");
        return JsonNode.Parse(last) as JsonObject ?? throw new InvalidOperationException("submit --wait printed no row:\n" + output);
    }

    /// <summary>The job's row; <c>mediaworker job</c> prints it as indented JSON, from the first line that opens it.</summary>
    public async Task<JsonObject> JobAsync(string jobId)
    {
        var (_, _, output) = await CliAsync("job", jobId);
        var opening = output.StartsWith('{') ? 0 : output.IndexOf("\n{", StringComparison.Ordinal);
        return opening >= 0 && JsonNode.Parse(output[opening..]) is JsonObject row
            ? row
            : throw new InvalidOperationException("mediaworker job printed no row:\n" + output);
    }

    public void Dispose()
    {
        Worker?.Dispose();
        _directory.Dispose();
    }

    private static void CopyFolder(string source, string target)
    {
        if (!Directory.Exists(source))
        {
            throw new InvalidOperationException($"'{source}' does not exist: run ./start_worker.sh --build-only (./run_tests.sh does) first.");
        }

        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }
    }
}
