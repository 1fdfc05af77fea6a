using System.Text.Json.Nodes;
using MediaWorker.Testing;

namespace MediaWorker.Plugins.Speech.Tests.Support;

/// <summary>
/// A server directory for the published daemon (publish/, with publish/plugins/Speech as a user
/// gets it), and the CLI calls the process tests make against it.
/// </summary>
internal sealed class SpeechDaemon : IDisposable
{
    public static readonly TimeSpan Startup = TimeSpan.FromSeconds(90);

    private readonly TempDirectory _server = new("speech-worker");

    public SpeechDaemon(string? modelPath = null)
    {
        Environment = new Dictionary<string, string?>
        {
            ["CL_SERVER_DIR"] = _server.Path,
            ["DATABASE_URL"] = _server.Combine("media_store.db"),
            ["PLUGIN_DIR"] = RepoPaths.PublishedPlugins,
            ["MEDIA_ALLOWED_ROOTS"] = _server.Path,
            ["WHISPER_MODEL_PATH"] = modelPath ?? SpeechAssets.TestModel,
            ["WHISPER_THREADS"] = "2",
            ["LOG_LEVEL"] = "information",
        };
    }

    public Dictionary<string, string?> Environment { get; }

    public string Combine(params string[] parts) => _server.Combine(parts);

    /// <summary>Starts <c>mediaworker run</c> and waits until it says it started.</summary>
    public async Task<WorkerProcess> StartWorkerAsync(string workerId, params string[] extraArgs)
    {
        var worker = WorkerProcess.Start(["run", "--worker-id", workerId, .. extraArgs], Environment);
        if (!await worker.WaitForOutputAsync(" started (pid", Startup))
        {
            var output = worker.OutputText;
            worker.Dispose();
            throw new InvalidOperationException("the worker did not start:\n" + output);
        }

        return worker;
    }

    /// <summary>Submits a job without waiting; returns its id.</summary>
    public async Task<string> SubmitAsync(string task, JsonObject parameters, int maxRetries = 2)
    {
        var (exit, output) = await WorkerProcess.RunAsync(["submit", task, "--params", parameters.ToJsonString(), "--max-retries", maxRetries.ToString(System.Globalization.CultureInfo.InvariantCulture)], Environment);
        return exit == 0 ? output.Trim().Split('\n')[^1].Trim() : throw new InvalidOperationException("submit failed:\n" + output);
    }

    /// <summary>Submits a job and waits for its final row.</summary>
    public async Task<JsonObject> SubmitAndWaitAsync(string task, JsonObject parameters)
    {
        var (_, output) = await WorkerProcess.RunAsync(["submit", task, "--params", parameters.ToJsonString(), "--wait", "--wait-timeout", "3m"], Environment, TimeSpan.FromMinutes(4));
        var last = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last();
        return JsonNode.Parse(last) as JsonObject ?? throw new InvalidOperationException("submit printed no row:\n" + output);
    }

    /// <summary>The job's row as <c>mediaworker job</c> prints it.</summary>
    public async Task<JsonObject> RowAsync(string jobId)
    {
        var (_, output) = await WorkerProcess.RunAsync(["job", jobId], Environment);
        return JsonNode.Parse(output[output.IndexOf('{', StringComparison.Ordinal)..])!.AsObject();
    }

    /// <summary>Polls the row until <paramref name="done"/> holds or the time is up; returns the last row.</summary>
    public async Task<JsonObject> WaitForRowAsync(string jobId, Func<JsonObject, bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var row = await RowAsync(jobId);
            if (done(row) || DateTime.UtcNow > deadline)
            {
                return row;
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Waits for the job to end (completed, failed or cancelled).</summary>
    public Task<JsonObject> WaitForFinalRowAsync(string jobId, TimeSpan? timeout = null) =>
        WaitForRowAsync(jobId, row => (string?)row["status"] is "completed" or "failed" or "cancelled", timeout ?? TimeSpan.FromMinutes(3));

    public void Dispose() => _server.Dispose();
}
