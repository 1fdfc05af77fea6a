using System.Text.Json.Nodes;
using MediaWorker.Pipelines.Runs;
using MediaWorker.Tests.Pipelines.Support;
using NUnit.Framework;

namespace MediaWorker.Tests.Pipelines;

/// <summary>
/// The shipped highlights pipeline (seed 000) end to end in a real worker: a video with speech
/// (espeak-ng) and three scenes (lavfi), transcribe and wake_word_detect on the whisper.cpp test
/// model, highlight_detect scored by the fake Gemini server, and a clip_extract for every hit.
/// </summary>
public sealed class HighlightsPipelineTests
{
    [Test]
    public async Task Highlights_CutsAClipForEveryHitTheModelReports()
    {
        await using var rig = await ShippedPipelineRig.StartAsync(highlight: i => i % 2 == 0);
        var video = await PipelineMedia.SpeechVideoAsync(rig.Environment.ServerDirectory);
        await rig.StartWorkerAsync("shipped-highlights");

        var run = await rig.RunAsync(ShippedPipelineRig.Definition("highlights"), new JsonObject { ["path"] = video });

        Assert.That(run.ExitCode, Is.Zero, run.Output);
        Assert.That(run.Status, Is.EqualTo(PipelineStatus.Completed));
        run.AssertCompleted("audio", "transcribe", "wake_words", "detect", "highlight_clips", "wake_word_clips", "done");
        Assert.That(run.StepOutput("audio")["path"]!.GetValue<string>(), Does.EndWith(".wav"));
        Assert.That(File.Exists(run.StepOutput("transcribe")["transcript_path"]!.GetValue<string>()), Is.True);
        Assert.That(run.StepOutput("wake_words")["matches"]!.AsArray(), Is.Empty, "the weights-less test model hears no words");
        Assert.That(run.Steps["wake_word_clips"]["items"]!.GetValue<int>(), Is.Zero, "an empty fan-out completes with no jobs");

        var detect = run.StepOutput("detect");
        Assert.That(detect["scoring"]!.GetValue<string>(), Is.EqualTo("gemini"), detect.ToJsonString());
        Assert.That(detect["segment_strategy"]!.GetValue<string>(), Is.EqualTo("scenes"));
        var segments = detect["segments"]!.AsArray();
        Assert.That(segments, Has.Count.GreaterThanOrEqualTo(3), "three scenes, each a segment");
        var highlights = detect["highlights"]!.AsArray();
        Assert.That(highlights, Has.Count.GreaterThanOrEqualTo(2), "segments 0 and 2 score high and are not adjacent");

        // One clip_extract job per hit, in the hits' order, each cutting that hit out of the input.
        var clips = run.StepOutput("highlight_clips").AsArray();
        Assert.That(run.Steps["highlight_clips"]["items"]!.GetValue<int>(), Is.EqualTo(highlights.Count));
        Assert.That(clips, Has.Count.EqualTo(highlights.Count));
        for (var i = 0; i < highlights.Count; i++)
        {
            var clip = clips[i]!;
            Assert.That(File.Exists(clip["path"]!.GetValue<string>()), Is.True, clip.ToJsonString());
            Assert.That(clip["start"]!.GetValue<double>(), Is.EqualTo(highlights[i]!["start"]!.GetValue<double>()).Within(0.05), $"clip {i}");
            Assert.That(clip["end"]!.GetValue<double>(), Is.EqualTo(highlights[i]!["end"]!.GetValue<double>()).Within(0.05), $"clip {i}");
            Assert.That(clip["duration"]!.GetValue<double>(), Is.GreaterThan(1), $"clip {i} holds video");
        }

        Assert.That(rig.Gemini.RequestsTo("generateContent"), Is.Not.Empty, "the segments were scored over the REST API");
        Assert.That(rig.Gemini.StoredFiles, Is.Empty, "the upload is deleted after scoring");
        Assert.That(rig.Gemini.Violations, Is.Empty);
    }
}
