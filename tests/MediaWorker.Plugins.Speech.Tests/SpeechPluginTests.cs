using System.Text.Json.Nodes;
using MediaWorker.Plugins.Speech.Tests.Support;
using MediaWorker.Plugins.Speech.Transcription;
using MediaWorker.Testing;
using MediaWorker.WhisperModels;
using NUnit.Framework;

namespace MediaWorker.Plugins.Speech.Tests;

public sealed class SpeechPluginTests
{
    [Test]
    public void WithoutAModel_ThePluginLoads_ButOffersNoTasks()
    {
        var handlers = SpeechHandlers.Create(new TestSettings(new Dictionary<string, string?>()));

        Assert.That(handlers, Is.Empty);
    }

    [Test]
    public void WithAModel_BothTasksAreOffered_WithStrictSchemas()
    {
        var handlers = SpeechHandlers.Create(TestSettings.WithTestModel());

        Assert.That(handlers.Select(h => h.Descriptor.TaskType), Is.EqualTo(new[] { "transcribe", "wake_word_detect" }));
        Assert.Multiple(() =>
        {
            foreach (var descriptor in handlers.Select(h => h.Descriptor))
            {
                var schema = descriptor.ParameterSchema!;
                Assert.That((bool)schema["additionalProperties"]!, Is.False, descriptor.TaskType);
                Assert.That(schema["properties"]!.AsObject().Select(p => p.Key), Does.Contain("language").And.Contain("input_path"), descriptor.TaskType);
                Assert.That(descriptor.MaxConcurrency, Is.Null, "each job has its own whisper state");
            }
        });
    }

    [Test]
    public void AModelThatDoesNotLoad_OffersNoTasks_SoJobsWaitForAWorkerThatCan()
    {
        var handlers = SpeechHandlers.Create(TestSettings.WithTestModel("/nonexistent/model.bin"));

        Assert.That(handlers, Is.Empty);
    }

    [Test]
    public void WhisperModel_MayNameAPulledModel_InTheServerDirectory()
    {
        using var server = new TempDirectory("speech-store");
        Directory.CreateDirectory(server.Combine("models"));
        File.Copy(SpeechAssets.TestModel, server.Combine("models", "ggml-tiny.en.bin"));
        var settings = new TestSettings(new Dictionary<string, string?> { ["WHISPER_MODEL"] = "tiny.en", ["CL_SERVER_DIR"] = server.Path });

        Assert.That(SpeechHandlers.Create(settings), Has.Count.EqualTo(2));
    }

    [Test]
    public void WhisperModel_NamingAModelThatIsNotPulled_SaysHowToPullIt()
    {
        using var server = new TempDirectory("speech-store");
        var location = ModelLocation.From(SpeechSettings.Read(new TestSettings(new Dictionary<string, string?> { ["WHISPER_MODEL"] = "base.en", ["CL_SERVER_DIR"] = server.Path })))!;

        var error = Assert.Throws<ModelFileException>(() => WhisperModel.Load(location));

        Assert.That(error!.Message, Does.Contain("WHISPER_MODEL 'base.en'").And.Contain("does not exist").And.Contain("mediaworker models pull base.en"));
    }

    [Test]
    public void WhisperModel_NamingAnUnknownModel_PointsAtTheList()
    {
        var settings = SpeechSettings.Read(new TestSettings(new Dictionary<string, string?> { ["WHISPER_MODEL"] = "huge-v9" }));

        var error = Assert.Throws<ModelFileException>(() => ModelLocation.From(settings));

        Assert.That(error!.Message, Does.Contain("'huge-v9'").And.Contain("mediaworker models list"));
    }

    [Test]
    public void BothModelSettings_StopThePluginFromLoading()
    {
        var settings = new TestSettings(new Dictionary<string, string?> { ["WHISPER_MODEL"] = "base.en", ["WHISPER_MODEL_PATH"] = SpeechAssets.TestModel });

        Assert.That(() => SpeechHandlers.Create(settings), Throws.InvalidOperationException.With.Message.Contains("keep one"));
    }

    [TestCase("0")]
    [TestCase("four")]
    [TestCase("-2")]
    [TestCase("1000")]
    public void InvalidThreads_StopThePluginFromLoading_NamingTheSetting(string threads)
    {
        var settings = new TestSettings(new Dictionary<string, string?> { ["WHISPER_MODEL_PATH"] = SpeechAssets.TestModel, ["WHISPER_THREADS"] = threads });

        var error = Assert.Throws<InvalidOperationException>(() => SpeechHandlers.Create(settings));

        Assert.That(error!.Message, Does.Contain($"WHISPER_THREADS is '{threads}'").And.Contain("1 to 256"));
    }

    [TestCase(null, 8, 2, 4)]
    [TestCase(null, 2, 4, 1)]
    [TestCase(3, 8, 2, 3)]
    public void ThreadsPerJob_AreTheSlotsShareOfTheCores_UnlessSet(int? configured, int cores, int slots, int expected) =>
        Assert.That(new SpeechSettings(null, null, null, configured).ThreadsPerJob(slots, cores), Is.EqualTo(expected));

    [Test]
    public void WakeWordSchema_NeedsAnInputOrATranscript()
    {
        var schema = SpeechHandlers.Create(TestSettings.WithTestModel()).Single(h => h.Descriptor.TaskType == "wake_word_detect").Descriptor.ParameterSchema!;

        Assert.That(schema["anyOf"]!.ToJsonString(), Is.EqualTo(new JsonArray(new JsonObject { ["required"] = new JsonArray("input_path") }, new JsonObject { ["required"] = new JsonArray("transcript_path") }).ToJsonString()));
    }
}
