using System.Text.Json.Nodes;
using MediaWorker.Plugins.Gemini.Tests.Support;
using MediaWorker.Testing.Gemini;
using MediaWorker.Testing;
using Microsoft.Data.Sqlite;
using NUnit.Framework;

namespace MediaWorker.Plugins.Gemini.Tests.Worker;

/// <summary>
/// The published plugin in a real <c>mediaworker</c> process, with GEMINI_BASE_URL pointing at the
/// fake server: tasks submitted through the CLI, results read from the job table.
/// </summary>
public sealed class GeminiWorkerProcessTests
{
    private static readonly TimeSpan Startup = TimeSpan.FromSeconds(60);

    private FakeGeminiServer _server = null!;
    private TempDirectory _root = null!;
    private Dictionary<string, string?> _environment = null!;

    [SetUp]
    public async Task SetUp()
    {
        var published = Path.Combine(RepoPaths.PublishedPlugins, "Gemini");
        if (!File.Exists(Path.Combine(published, "MediaWorker.Plugins.Gemini.dll")) || !File.Exists(Path.Combine(RepoPaths.Publish, "mediaworker")))
        {
            Assert.Fail($"The published daemon or Gemini plugin is missing under {RepoPaths.Publish}: run ./start_worker.sh --build-only (./run_tests.sh does).");
        }

        _server = await FakeGeminiServer.StartAsync();
        _root = new TempDirectory("mw-gemini-worker");
        var plugins = _root.Combine("plugins", "Gemini");
        Directory.CreateDirectory(plugins);
        foreach (var file in Directory.EnumerateFiles(published))
        {
            File.Copy(file, Path.Combine(plugins, Path.GetFileName(file)));
        }

        _environment = new Dictionary<string, string?>(_server.WorkerSettings())
        {
            ["CL_SERVER_DIR"] = _root.Path,
            ["DATABASE_URL"] = _root.Combine("media_store.db"),
            ["PLUGIN_DIR"] = _root.Combine("plugins"),
            ["MEDIA_ALLOWED_ROOTS"] = _root.Path,
            ["BROADCAST_TYPE"] = "noop",
            ["LOG_LEVEL"] = "debug",
        };
    }

    [TearDown]
    public async Task TearDown()
    {
        await _server.DisposeAsync();
        _root.Dispose();
    }

    [Test]
    public async Task TasksRunThroughTheDaemon_AgainstTheFakeServer_AndTheKeyNeverShows()
    {
        Directory.CreateDirectory(_root.Combine("compute"));
        File.WriteAllText(_root.Combine("compute", "transcript.json"), Samples.TranscriptJson());
        _server.Enqueue("generateContent", FakeReply.Text("{\"title\": \"cut"));
        _server.Enqueue("generateContent", FakeReply.Answer(Samples.Analysis()));
        _server.Enqueue("generateContent", FakeReply.Error(429, "RESOURCE_EXHAUSTED", $"Quota exceeded for key {FakeGeminiServer.ApiKey}.", retryDelay: "45s"));
        _server.Enqueue("generateContent", FakeReply.Error(400, "INVALID_ARGUMENT", "Request contains an invalid argument."));
        using var worker = WorkerProcess.Start(["run", "--worker-id", "gemini-it", "--concurrency", "1"], _environment);
        Assert.That(await worker.WaitForOutputAsync("started", Startup), Is.True, worker.OutputText);

        var analysis = await SubmitAndWaitAsync("ai_analyze", new JsonObject { ["input_path"] = "transcript.json" });
        var embedding = await SubmitAndWaitAsync("embed", new JsonObject { ["text"] = "hello", ["format"] = "f32" });
        var quota = await SubmitAsync("ai_analyze", new JsonObject { ["text"] = "rate limited" });
        Assert.That(await EventuallyAsync(() => Row(quota)["attempts"] is 1L && (string)Row(quota)["status"]! == "queued"), Is.True, worker.OutputText);
        var invalid = await SubmitAndWaitAsync("ai_analyze", new JsonObject { ["text"] = "refused" });
        var badParams = await SubmitAndWaitAsync("ai_analyze", new JsonObject { ["text"] = "x", ["mode"] = "sideways" });
        File.Copy(await TestMedia.LoudClip(), _root.Combine("compute", "loud.mp4"));
        for (var i = 0; i < 3; i++)
        {
            _server.Enqueue("generateContent", FakeReply.Error(503, "UNAVAILABLE", "The model is overloaded."));
        }

        var highlights = await SubmitAndWaitAsync("highlight_detect", new JsonObject { ["input_path"] = "loud.mp4", ["segment_strategy"] = "fixed", ["window_seconds"] = 5, ["enqueue_clips"] = true });

        Assert.Multiple(() =>
        {
            Assert.That(analysis["status"]!.GetValue<string>(), Is.EqualTo("completed"), analysis.ToJsonString());
            Assert.That(analysis["output"]!["title"]!.GetValue<string>(), Is.EqualTo("Three topics"));
            Assert.That(analysis["output"]!["tokenUsage"]!["totalTokens"]!.GetValue<int>(), Is.EqualTo(300));
            Assert.That(embedding["status"]!.GetValue<string>(), Is.EqualTo("completed"), embedding.ToJsonString());
            Assert.That(new FileInfo(embedding["output"]!["path"]!.GetValue<string>()).Length, Is.EqualTo(24 + (8 * 4)));
            Assert.That(invalid["status"]!.GetValue<string>(), Is.EqualTo("failed"));
            Assert.That(invalid["error_message"]!.GetValue<string>(), Does.Contain("HTTP 400 INVALID_ARGUMENT: Request contains an invalid argument."));
            Assert.That(invalid["attempts"]!.GetValue<int>(), Is.EqualTo(1), "permanent: no retry");
            Assert.That(badParams["status"]!.GetValue<string>(), Is.EqualTo("failed"));
            Assert.That(badParams["error_message"]!.GetValue<string>(), Does.Contain("mode"));
            Assert.That(highlights["status"]!.GetValue<string>(), Is.EqualTo("completed"), highlights.ToJsonString());
            Assert.That(highlights["output"]!["scoring"]!.GetValue<string>(), Is.EqualTo("rules"));
            Assert.That(highlights["output"]!["highlights"]![0]!["start"]!.GetValue<double>(), Is.EqualTo(TestMedia.LoudStart).Within(0.5));
        });

        var clipJob = highlights["output"]!["clip_jobs"]![0]!.GetValue<string>();
        Assert.That(await EventuallyAsync(() => ClipParams(clipJob) is not null), Is.True, "the clip_extract follow-up is inserted when the job completes");
        Assert.That(ClipParams(clipJob), Is.EqualTo("""{"input_path":"loud.mp4","start":20,"end":30}"""));

        var retried = Row(quota);
        var delay = (long)retried["run_after"]! - (long)retried["updated_at"]!;
        Assert.That(delay, Is.GreaterThanOrEqualTo(44_000), "the next attempt waits at least the server's RetryInfo delay");
        Assert.That((string)retried["error_message"]!, Does.Contain("429 RESOURCE_EXHAUSTED").And.Contain("[redacted]"));

        var everything = worker.OutputText + string.Join('\n', AllRows());
        Assert.That(everything, Does.Not.Contain(FakeGeminiServer.ApiKey), "the key appears in no log line, output or error message");
        Assert.That(_server.Violations, Is.Empty);
    }

    private async Task<string> SubmitAsync(string task, JsonObject parameters)
    {
        var (exit, output) = await WorkerProcess.RunAsync(["submit", task, "--params", parameters.ToJsonString()], _environment);
        Assert.That(exit, Is.Zero, output);
        return output.Trim().Split('\n').Last().Trim();
    }

    private async Task<JsonObject> SubmitAndWaitAsync(string task, JsonObject parameters)
    {
        var (exit, output) = await WorkerProcess.RunAsync(["submit", task, "--params", parameters.ToJsonString(), "--wait"], _environment, TimeSpan.FromSeconds(90));
        Assert.That(output, Does.Not.Contain(FakeGeminiServer.ApiKey));
        var row = (JsonObject)JsonNode.Parse(output.Trim().Split('\n').Last())!;
        Assert.That(exit, Is.AnyOf(0, 1), output);
        return row;
    }

    private Dictionary<string, object?> Row(string jobId)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT status, attempts, run_after, updated_at, error_message FROM jobs WHERE job_id = $id";
        command.Parameters.AddWithValue("$id", jobId);
        using var reader = command.ExecuteReader();
        Assert.That(reader.Read(), Is.True, $"job {jobId} not found");
        return Enumerable.Range(0, reader.FieldCount).ToDictionary(reader.GetName, i => reader.IsDBNull(i) ? null : reader.GetValue(i));
    }

    private string? ClipParams(string jobId)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT params FROM jobs WHERE job_id = $id AND task_type = 'clip_extract'";
        command.Parameters.AddWithValue("$id", jobId);
        return command.ExecuteScalar() as string;
    }

    private List<string> AllRows()
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT coalesce(params,'') || coalesce(output,'') || coalesce(error_message,'') FROM jobs";
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection($"Data Source={_root.Combine("media_store.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var busy = connection.CreateCommand();
        busy.CommandText = "PRAGMA busy_timeout=5000";
        busy.ExecuteNonQuery();
        return connection;
    }

    private static async Task<bool> EventuallyAsync(Func<bool> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (DateTime.UtcNow < deadline)
        {
            if (condition())
            {
                return true;
            }

            await Task.Delay(100);
        }

        return condition();
    }
}
