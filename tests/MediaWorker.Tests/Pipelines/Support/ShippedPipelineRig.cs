using System.Text.Json.Nodes;
using MediaWorker.Testing;
using MediaWorker.Testing.Gemini;
using MediaWorker.Tests.Support;
using NUnit.Framework;

namespace MediaWorker.Tests.Pipelines.Support;

/// <summary>
/// What the shipped pipelines run on in the tests: a server folder for real worker processes with
/// the published plugins, the speech steps on whisper.cpp's weights-less test model (from the
/// repository's test data), and the Gemini steps against the local fake Gemini REST server.
/// </summary>
internal sealed class ShippedPipelineRig : IAsyncDisposable
{
    /// <summary>What the fake answers to every analysis; its timeline lies inside a few seconds of video.</summary>
    public const string AnalysisTitle = "A test pattern, then colours";

    public const string AnalysisSummary = "A short clip that cuts from a moving test pattern to plain colour fields.";

    private ShippedPipelineRig(DaemonEnvironment environment, FakeGeminiServer gemini)
    {
        Environment = environment;
        Gemini = gemini;
    }

    public DaemonEnvironment Environment { get; }

    public FakeGeminiServer Gemini { get; }

    public static string Definition(string name) => Path.Combine(RepoPaths.Root, "pipelines", name + ".json");

    public static string TestModel => Path.Combine(RepoPaths.Root, "tests", "MediaWorker.Plugins.Speech.Tests", "TestData", "for-tests-ggml-tiny.en.bin");

    /// <summary>
    /// Starts the fake and a server folder whose CLI has the test model and the fake's settings.
    /// The fake scores every even-numbered highlight segment high (<paramref name="highlight"/> to change that).
    /// </summary>
    public static async Task<ShippedPipelineRig> StartAsync(Func<int, bool>? highlight = null)
    {
        var published = Path.Combine(RepoPaths.PublishedPlugins, "Gemini", "MediaWorker.Plugins.Gemini.dll");
        if (!File.Exists(published))
        {
            Assert.Fail($"The published plugins are missing under {RepoPaths.PublishedPlugins}: run ./start_worker.sh --build-only (./run_tests.sh does).");
        }

        var gemini = await FakeGeminiServer.StartAsync();
        var scorer = FakeReply.HighlightScorer(highlight ?? (i => i % 2 == 0));
        gemini.DefaultGenerate = request => IsHighlightScoring(request) ? scorer(request) : FakeReply.Answer(Analysis(request));
        var environment = new DaemonEnvironment();
        foreach (var (key, value) in gemini.WorkerSettings())
        {
            environment.Environment[key] = value;
        }

        environment.Environment["PLUGIN_DIR"] = RepoPaths.PublishedPlugins;
        environment.Environment["WHISPER_MODEL_PATH"] = TestModel;
        environment.Environment["LOG_LEVEL"] = "information"; // the worker says "started" at information
        return new ShippedPipelineRig(environment, gemini);
    }

    /// <summary>Starts a worker, with <paramref name="without"/> removed from its settings, and waits until it runs.</summary>
    public async Task<WorkerProcess> StartWorkerAsync(string workerId, params string[] without)
    {
        var worker = Environment.StartWorker(workerId, without.ToDictionary(k => k, _ => (string?)null));
        Assert.That(await worker.WaitForOutputAsync("started", TimeSpan.FromSeconds(60)), Is.True, worker.OutputText);
        return worker;
    }

    /// <summary>Runs a definition with <c>pipeline run FILE --wait</c>; returns the exit code and the run as the CLI printed it.</summary>
    public async Task<FinishedRun> RunAsync(string definition, JsonObject input)
    {
        var (code, output) = await Environment.CliAsync("pipeline", "run", definition, "--input", input.ToJsonString(), "--wait", "--wait-timeout", "3m");
        var start = output.IndexOf("{\n", StringComparison.Ordinal);
        Assert.That(start, Is.GreaterThanOrEqualTo(0), output);
        return new FinishedRun(code, JsonNode.Parse(output[start..])!.AsObject(), output);
    }

    public async ValueTask DisposeAsync()
    {
        Environment.Dispose();
        await Gemini.DisposeAsync();
    }

    private static bool IsHighlightScoring(JsonObject request) =>
        request["generationConfig"]?["responseSchema"]?["properties"]?["segments"] is not null;

    private static JsonObject Analysis(JsonObject request)
    {
        var analysis = new JsonObject
        {
            ["title"] = AnalysisTitle,
            ["summary"] = AnalysisSummary,
            ["keyTakeaways"] = new JsonArray("The picture changes twice."),
            ["timeline"] = new JsonArray(
                new JsonObject { ["timestamp"] = "00:04", ["description"] = "Red", ["details"] = new JsonArray("a red field") },
                new JsonObject { ["timestamp"] = "00:00", ["description"] = "Test pattern", ["details"] = new JsonArray("moving bars") }),
            ["keywords"] = new JsonArray("test pattern", "colour"),
        };
        if (request["generationConfig"]?["responseSchema"]?["properties"]?["visualAudit"] is not null)
        {
            analysis["visualAudit"] = new JsonArray(new JsonObject { ["timestamp"] = "00:01", ["detail"] = "Colour bars", ["type"] = "scene" });
        }

        return analysis;
    }
}

/// <summary>A run as <c>pipeline run --wait</c> printed it.</summary>
internal sealed record FinishedRun(int ExitCode, JsonObject Run, string Output)
{
    public string Status => Run["status"]!.GetValue<string>();

    /// <summary>The run's steps by name.</summary>
    public IReadOnlyDictionary<string, JsonObject> Steps => Run["steps"]!.AsArray().ToDictionary(s => s!["step"]!.GetValue<string>(), s => s!.AsObject());

    public string StepStatus(string step) => Steps[step]["status"]!.GetValue<string>();

    public JsonNode StepOutput(string step) => Steps[step]["output"] ?? throw new AssertionException($"step '{step}' has no output: {Steps[step].ToJsonString()}");

    public string StepError(string step) => Steps[step]["error"]?.GetValue<string>() ?? string.Empty;

    /// <summary>Asserts each named step completed, showing the step when it did not.</summary>
    public void AssertCompleted(params string[] steps)
    {
        foreach (var step in steps)
        {
            Assert.That(StepStatus(step), Is.EqualTo("completed"), $"{step}: {Steps[step].ToJsonString()}");
        }
    }
}
