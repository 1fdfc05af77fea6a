using MediaWorker.Plugins.Speech.Tests.Support;
using MediaWorker.Testing;
using MediaWorker.WhisperModels;
using NUnit.Framework;

namespace MediaWorker.Plugins.Speech.Tests.Models;

/// <summary>
/// <c>mediaworker models</c> (the published CLI) against a real HTTP server on loopback that serves
/// whisper.cpp's test model as if it were a published one.
/// </summary>
public sealed class ModelsCommandTests
{
    private TempDirectory _server = null!;
    private byte[] _model = null!;
    private string _modelSha1 = null!;

    [SetUp]
    public async Task CreateServerDirectory()
    {
        _server = new TempDirectory("speech-models-cli");
        _model = File.ReadAllBytes(SpeechAssets.TestModel);
        _modelSha1 = await FileSha1.OfAsync(SpeechAssets.TestModel, CancellationToken.None);
    }

    [TearDown]
    public void DeleteServerDirectory() => _server.Dispose();

    [Test]
    public async Task Pull_FilesTheModel_VerifiesTheGivenSha1_AndTheWorkerFindsItByName()
    {
        using var http = new ModelServer(_model);

        var (exit, output) = await RunAsync(http, "models", "pull", "tiny-q5_1", "--sha1", _modelSha1);

        var filed = _server.Combine("models", "ggml-tiny-q5_1.bin");
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.Zero, output);
            Assert.That(File.ReadAllBytes(filed), Is.EqualTo(_model));
            Assert.That(output, Does.Contain($"SHA-1 {_modelSha1} verified").And.Contain("WHISPER_MODEL=tiny-q5_1").And.Contain("100%"));
            Assert.That(Directory.GetFiles(_server.Combine("models")).Select(Path.GetFileName), Is.EqualTo(new[] { "ggml-tiny-q5_1.bin" }), "no part left behind");
            Assert.That(http.Requests.Select(r => r.Path), Is.EqualTo(new[] { "/models/ggml-tiny-q5_1.bin" }));
        });

        var (listExit, list) = await RunAsync(http, "models", "list");
        var (verifyExit, verify) = await RunAsync(http, "models", "verify");
        Assert.Multiple(() =>
        {
            Assert.That(listExit, Is.Zero);
            Assert.That(list, Does.Contain(filed).And.Contain("base.en").And.Contain("large-v3"));
            Assert.That(verifyExit, Is.Zero, verify);
            Assert.That(verify, Does.Contain("ok (tiny").And.Contain(filed));
        });
    }

    [Test]
    public async Task Pull_ResumesWithARangeRequest_AfterTheServerDropsTheConnectionMidFile()
    {
        using var http = new ModelServer(_model, dropFirstResponses: 1);

        var (exit, output) = await RunAsync(http, "models", "pull", "base-q5_1", "--sha1", _modelSha1);

        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.Zero, output);
            Assert.That(File.ReadAllBytes(_server.Combine("models", "ggml-base-q5_1.bin")), Is.EqualTo(_model), "whole and in order");
            Assert.That(http.Requests, Has.Count.EqualTo(2));
            Assert.That(http.Requests[0].Range, Is.Null);
            Assert.That(http.Requests[1].Range, Does.Match(@"^bytes=[1-9][0-9]*-$"), "the second request resumes where the first stopped");
            Assert.That(output, Does.Contain("resumed at"));
        });
    }

    [Test]
    public async Task Pull_OfAKnownModel_WhoseChecksumDiffers_IsRefused_AndNothingIsFiled()
    {
        using var http = new ModelServer(_model); // serves the test model as tiny.en: not the published file

        var (exit, output) = await RunAsync(http, "models", "pull", "tiny.en");

        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(1), output);
            Assert.That(output, Does.Contain($"has SHA-1 {_modelSha1}").And.Contain("c78c86eb1a8faa21b369bcd33207cc90d64ae9df").And.Contain("refused"));
            Assert.That(Directory.GetFiles(_server.Combine("models")), Is.Empty, "neither the file nor a part");
        });
    }

    [Test]
    public async Task Pull_OfAFileTheServerDoesNotHave_SaysSo()
    {
        using var http = new ModelServer(_model);
        http.Missing.Add("small");

        var (exit, output) = await RunAsync(http, "models", "pull", "small");

        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(1), output);
            Assert.That(output, Does.Contain("answered 404").And.Contain("WHISPER_MODEL_BASE_URL"));
            Assert.That(File.Exists(_server.Combine("models", "ggml-small.bin")), Is.False);
        });
    }

    [Test]
    public async Task Pull_OfAnUnknownName_IsAUsageError_PointingAtTheList()
    {
        using var http = new ModelServer(_model);

        var (exit, output) = await RunAsync(http, "models", "pull", "huge-v9");

        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(2), output);
            Assert.That(output, Does.Contain("models list"));
            Assert.That(http.Requests, Is.Empty);
        });
    }

    [Test]
    public async Task Verify_FindsACorruptedModel()
    {
        using var http = new ModelServer(_model);
        Directory.CreateDirectory(_server.Combine("models"));
        File.WriteAllBytes(_server.Combine("models", "ggml-base.en.bin"), _model[..5000]);

        var (exit, output) = await RunAsync(http, "models", "verify");

        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(1), output);
            Assert.That(output, Does.Contain("FAILED").And.Contain("is incomplete: it ends at byte 5000"));
        });
    }

    private Task<(int ExitCode, string Output)> RunAsync(ModelServer http, params string[] args) =>
        WorkerProcess.RunAsync(args, new Dictionary<string, string?>
        {
            ["CL_SERVER_DIR"] = _server.Path,
            ["WHISPER_MODEL_BASE_URL"] = http.BaseUrl,
        });
}
