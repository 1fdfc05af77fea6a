using System.Text.Json.Nodes;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.Speech.Tests.Support;
using MediaWorker.Plugins.Speech.Transcripts;
using MediaWorker.Testing;
using NUnit.Framework;

namespace MediaWorker.Plugins.Speech.Tests.Tasks;

public sealed class WakeWordDetectHandlerTests
{
    private TempDirectory _root = null!;

    [SetUp]
    public void CreateRoot() => _root = new TempDirectory("speech-wake");

    [TearDown]
    public void DeleteRoot() => _root.Dispose();

    [Test]
    public async Task Transcript_WithClipEnqueue_EnqueuesAClipExtractJobPerMatch_WithTheRightTimes()
    {
        // Words every 0.5 s: the first match spans 0.0-1.4 s, the second 2.5-3.4 s; the transcript lasts 5 s.
        var transcriptPath = await WriteTranscriptAsync(TestTranscripts.Of("hey media worker", "lights on", "hey, media-worker stop"));
        File.Copy(SpeechAssets.SentenceWav, _root.Combine("compute", "room.wav"));
        var job = Job(new JsonObject
        {
            ["transcript_path"] = transcriptPath,
            ["input_path"] = "room.wav",
            ["wake_words"] = new JsonArray("Hey Media Worker"),
            ["clip"] = new JsonObject { ["pre_seconds"] = 1, ["post_seconds"] = 2, ["enqueue"] = true },
        });

        var output = await TestJobContext.RunAsync(Handler(), job);

        var matches = output["matches"]!.AsArray();
        Assert.That(matches, Has.Count.EqualTo(2));
        Assert.Multiple(() =>
        {
            Assert.That((string?)matches[1]!["matched_text"], Is.EqualTo("hey, media-worker"));
            Assert.That(matches.Select(m => ((double)m!["start"]!, (double)m["end"]!)), Is.EqualTo(new[] { (0.0, 1.4), (2.5, 3.4) }));
            Assert.That(job.EnqueuedFollowUps.Select(f => f.TaskType), Is.All.EqualTo("clip_extract"));
            Assert.That(
                job.EnqueuedFollowUps.Select(f => ((string?)f.Parameters["input_path"], (double)f.Parameters["start"]!, (double)f.Parameters["end"]!)),
                Is.EqualTo(new[] { ("room.wav", 0.0, 3.4), ("room.wav", 1.5, 5.0) }),
                "start - 1 s clamped at 0, end + 2 s clamped at the duration");
            Assert.That(output["clip_job_ids"]!.AsArray(), Has.Count.EqualTo(2));
            Assert.That(output["clips"]!.AsArray(), Has.Count.EqualTo(2));
            Assert.That(output.ContainsKey("transcript_path"), Is.False, "nothing was transcribed");
        });
    }

    [Test]
    public async Task Transcript_IsSearched_WithoutTranscribingAgain()
    {
        // No input_path: the words come from the transcript alone (the test model would find none).
        var transcriptPath = await WriteTranscriptAsync(TestTranscripts.Of("ok computer", "play some music"));
        var handler = SpeechHandlers.For("wake_word_detect");
        var job = Job(new JsonObject { ["transcript_path"] = transcriptPath, ["wake_words"] = new JsonArray("okay computer", "hey media worker"), ["min_similarity"] = 0.75 });

        var output = await TestJobContext.RunAsync(handler, job);

        var match = output["matches"]!.AsArray().Single()!;
        Assert.Multiple(() =>
        {
            Assert.That((string?)match["wake_word"], Is.EqualTo("okay computer"));
            Assert.That((double)match["similarity"]!, Is.EqualTo(0.846).Within(0.001), "11 of 13 characters");
            Assert.That(output["clip_job_ids"]!.AsArray(), Is.Empty);
            Assert.That(job.EnqueuedFollowUps, Is.Empty);
        });
    }

    [Test]
    public async Task Input_IsTranscribed_AndTheTranscriptKeptForLaterJobs()
    {
        File.Copy(SpeechAssets.SentenceWav, _root.Combine("jfk.wav"));
        var job = Job(new JsonObject { ["input_path"] = _root.Combine("jfk.wav"), ["wake_words"] = new JsonArray("my fellow americans") });

        var output = await TestJobContext.RunAsync(Handler(), job);

        Assert.Multiple(() =>
        {
            Assert.That(output["matches"]!.AsArray(), Is.Empty, "the weightless test model transcribes nothing");
            Assert.That(File.Exists((string)output["transcript_path"]!), Is.True);
            Assert.That(job.ReportedProgress[^1], Is.EqualTo(100));
        });
    }

    [Test]
    public async Task ClipEnqueue_WithoutAnInput_FailsPermanently()
    {
        var transcriptPath = await WriteTranscriptAsync(TestTranscripts.Of("hey media worker"));
        var job = Job(new JsonObject { ["transcript_path"] = transcriptPath, ["wake_words"] = new JsonArray("hey media worker"), ["clip"] = new JsonObject { ["enqueue"] = true } });

        var error = Assert.ThrowsAsync<PermanentJobException>(() => TestJobContext.RunAsync(Handler(), job));

        Assert.That(error!.Message, Does.Contain("clip.enqueue needs input_path"));
    }

    [TestCase("{\"wake_words\": [\"hi\"]}", "Give input_path")]
    [TestCase("{\"input_path\": \"a.wav\", \"wake_words\": [\"?!\"]}", "'?!', which has no letters or digits")]
    [TestCase("{\"input_path\": \"a.wav\", \"wake_words\": []}", "at least one phrase")]
    [TestCase("{\"input_path\": \"a.wav\", \"wake_words\": [\"hi\"], \"min_similarity\": 1.5}", "'min_similarity' must be from 0 to 1")]
    public void InvalidRequests_FailPermanently(string parameters, string expected)
    {
        var job = Job(JsonNode.Parse(parameters)!.AsObject());

        var error = Assert.ThrowsAsync<PermanentJobException>(() => TestJobContext.RunAsync(Handler(), job));

        Assert.That(error!.Message, Does.Contain(expected));
    }

    [Test]
    public void ATranscriptThatIsNotOne_FailsPermanently()
    {
        Directory.CreateDirectory(_root.Combine("compute"));
        File.WriteAllText(_root.Combine("compute", "transcript.json"), "{\"segments\": 3}");
        var job = Job(new JsonObject { ["transcript_path"] = "transcript.json", ["wake_words"] = new JsonArray("hi") });

        var error = Assert.ThrowsAsync<PermanentJobException>(() => TestJobContext.RunAsync(Handler(), job));

        Assert.That(error!.Message, Does.Contain("transcript_path 'transcript.json' is not a transcript.json"));
    }

    private static ITaskHandler Handler() => SpeechHandlers.For("wake_word_detect");

    private TestJobContext Job(JsonObject parameters) => new(_root.Path, "wake_word_detect", parameters);

    private async Task<string> WriteTranscriptAsync(Transcript transcript)
    {
        Directory.CreateDirectory(_root.Combine("compute"));
        var path = _root.Combine("compute", "earlier-transcript.json");
        await TranscriptJson.WriteAsync(transcript, path, CancellationToken.None);
        return path;
    }
}
