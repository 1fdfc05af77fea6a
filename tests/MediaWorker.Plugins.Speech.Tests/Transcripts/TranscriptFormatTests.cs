using System.Text.Json.Nodes;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.Speech.Transcripts;
using MediaWorker.Testing;
using NUnit.Framework;

namespace MediaWorker.Plugins.Speech.Tests.Transcripts;

public sealed class TranscriptFormatTests
{
    private static readonly Transcript Sample = new(
        "en",
        12.3456,
        "Hello there. General Kenobi!",
        [
            new TranscriptSegment(0.0, 1.5, "Hello there.", 0.0123, [new("Hello", 0.0, 0.6, 0.91), new("there.", 0.6, 1.5, 0.87)]),
            new TranscriptSegment(3661.25, 3662.5, "General <Kenobi> & co --> now!", null, []),
        ]);

    [Test]
    public void Json_HasExactlyTheContractNames()
    {
        var json = TranscriptJson.ToJson(Sample);

        Assert.Multiple(() =>
        {
            Assert.That(json.Select(p => p.Key), Is.EqualTo(new[] { "language", "duration", "text", "segments" }));
            var segment = json["segments"]![0]!.AsObject();
            Assert.That(segment.Select(p => p.Key), Is.EqualTo(new[] { "start", "end", "text", "no_speech_prob", "words" }));
            Assert.That(segment["words"]![0]!.AsObject().Select(p => p.Key), Is.EqualTo(new[] { "word", "start", "end", "probability" }));
            Assert.That((double)json["duration"]!, Is.EqualTo(12.346));
            Assert.That(json["segments"]![1]!["no_speech_prob"], Is.Null, "unknown is null, not 0");
        });
    }

    [Test]
    public async Task Json_RoundTripsThroughAFile()
    {
        using var temp = new TempDirectory("speech-json");
        var path = temp.Combine("transcript.json");
        await TranscriptJson.WriteAsync(Sample, path, CancellationToken.None);

        var read = await TranscriptJson.ReadAsync(path, "t.json", "transcript_path", CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(read.Language, Is.EqualTo("en"));
            Assert.That(read.Segments, Has.Count.EqualTo(2));
            Assert.That(read.Segments[0].Words.Select(w => w.Word), Is.EqualTo(new[] { "Hello", "there." }));
            Assert.That(read.Segments[0].NoSpeechProb, Is.EqualTo(0.0123));
            Assert.That(read.Segments[1].Start, Is.EqualTo(3661.25));
        });
    }

    [TestCase("not json at all", "is not JSON")]
    [TestCase("[1, 2]", "the top level is not an object")]
    [TestCase("{\"language\": \"en\"}", "segments is missing or not an array")]
    [TestCase("{\"segments\": [{\"start\": 0, \"end\": 1}]}", "segments[0].text is missing or not a string")]
    [TestCase("{\"segments\": [{\"start\": 0, \"end\": 1, \"text\": \"hi\", \"words\": [{\"word\": \"hi\", \"start\": \"zero\", \"end\": 1}]}]}", "segments[0].words[0].start is missing or not a number")]
    public async Task MalformedTranscript_IsAPermanentFailure_SayingWhere(string content, string expected)
    {
        using var temp = new TempDirectory("speech-json");
        var path = temp.Combine("transcript.json");
        await File.WriteAllTextAsync(path, content);

        var error = Assert.ThrowsAsync<PermanentJobException>(() => TranscriptJson.ReadAsync(path, "jobs/x/transcript.json", "transcript_path", CancellationToken.None));

        Assert.That(error!.Message, Does.Contain("transcript_path 'jobs/x/transcript.json'").And.Contain(expected));
    }

    [Test]
    public void Srt_NumbersCues_WithCommaMilliseconds_AndHoursPastOne()
    {
        var srt = SubtitleWriter.ToSrt(Sample);

        Assert.That(srt, Is.EqualTo(
            "1\n00:00:00,000 --> 00:00:01,500\nHello there.\n\n" +
            "2\n01:01:01,250 --> 01:01:02,500\nGeneral <Kenobi> & co --> now!\n\n"));
    }

    [Test]
    public void Vtt_HasTheHeader_DotMilliseconds_AndEscapesCueText()
    {
        var vtt = SubtitleWriter.ToVtt(Sample);

        Assert.That(vtt, Is.EqualTo(
            "WEBVTT\n\n" +
            "00:00:00.000 --> 00:00:01.500\nHello there.\n\n" +
            "01:01:01.250 --> 01:01:02.500\nGeneral &lt;Kenobi&gt; &amp; co --&gt; now!\n\n"));
    }

    [Test]
    public void Subtitles_OfAnEmptyTranscript_AreValidAndEmpty()
    {
        var empty = new Transcript("en", 11, string.Empty, []);

        Assert.Multiple(() =>
        {
            Assert.That(SubtitleWriter.ToSrt(empty), Is.Empty);
            Assert.That(SubtitleWriter.ToVtt(empty), Is.EqualTo("WEBVTT\n\n"));
        });
    }

    [Test]
    public void Subtitles_SkipEmptySegments_AndKeepMultiLineTextOnOneLine()
    {
        var transcript = new Transcript("en", 5, "a b", [new(0, 1, string.Empty, null, []), new(1, 1, "line one\nline two", null, [])]);

        Assert.That(SubtitleWriter.ToSrt(transcript), Is.EqualTo("1\n00:00:01,000 --> 00:00:01,001\nline one line two\n\n"));
    }

    [Test]
    public void JsonOutput_IsAnObjectTheHostCanStore()
    {
        var node = JsonNode.Parse(TranscriptJson.ToJson(Sample).ToJsonString());

        Assert.That(node, Is.InstanceOf<JsonObject>());
    }
}
