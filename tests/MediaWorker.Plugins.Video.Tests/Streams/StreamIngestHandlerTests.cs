using System.Diagnostics;
using System.Text.Json.Nodes;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.Video.Streams;
using MediaWorker.Plugins.Video.Tests.Support;
using MediaWorker.Testing;
using NUnit.Framework;

namespace MediaWorker.Plugins.Video.Tests.Streams;

/// <summary>stream_ingest in-process against real live sources (ffmpeg in listen mode, a live HLS folder) on loopback, with 2 s segments.</summary>
[NonParallelizable]
public sealed class StreamIngestHandlerTests
{
    [TestCase("http")]
    [TestCase("rtmp")]
    [TestCase("hls")]
    public async Task ALiveSource_IsCutIntoPlayableSegments_WithFollowUpsAndABoundedRingBuffer(string kind)
    {
        using var source = LiveSource.Start(kind);
        var handler = Handler(source);
        var context = VideoJobs.Context("stream_ingest", new JsonObject
        {
            ["input_path"] = source.Url,
            ["segment_seconds"] = 2,
            ["max_segments"] = 2,
            ["max_duration_seconds"] = 9,
            ["delete_grace_seconds"] = 0,
            ["extract_audio"] = true,
            ["follow_ups"] = new JsonArray(
                new JsonObject { ["task_type"] = "video_probe" },
                new JsonObject { ["task_type"] = "transcribe", ["input"] = "audio", ["params"] = new JsonObject { ["language"] = "en" } }),
        });
        var segments = Path.Combine(context.Files.OutputDirectory, "segments");
        var mostFilesSeen = 0;
        var run = TestJobContext.RunAsync(handler, context);
        while (!run.IsCompleted)
        {
            // Completed segments on disk; ffmpeg is writing one more.
            mostFilesSeen = Math.Max(mostFilesSeen, Directory.Exists(segments) ? Directory.GetFiles(segments).Length : 0);
            await Task.WhenAny(run, Task.Delay(50));
        }

        var output = await run;
        Assert.That((string?)output["end_reason"], Is.EqualTo("max_duration"));
        var state = context.Checkpoints.State!;
        var recorded = state["segments"]!.AsArray();
        Assert.That(recorded, Has.Count.InRange(4, 6), output.ToJsonString());
        Assert.That((double)output["recorded_seconds"]!, Is.InRange(8.5, 9.5));
        var durations = recorded.Select(s => (double)s!["duration"]!).ToList();
        Assert.That(durations.Take(durations.Count - 1), Has.All.InRange(1.5, 3.1), "every full segment lasts about 2 s");
        Assert.That(recorded.Select(s => (long)s!["index"]!), Is.Ordered.Ascending.And.Unique);
        Assert.That(
            context.Checkpoints.Commits.Select(c => c.State["segments"]!.AsArray().Count(s => !(bool)s!["deleted"]!)),
            Has.All.LessThanOrEqualTo(2),
            "no committed state keeps more than max_segments segments");
        // On disk besides the ring buffer: the file ffmpeg is writing, and those it finished while the
        // previous one was being recorded (a source's start-up burst delivers two at once).
        Assert.That(mostFilesSeen, Is.LessThanOrEqualTo(2 + 3));
        Assert.That(Directory.GetFiles(segments), Has.Length.EqualTo(2));

        // Per segment: one commit carrying its record and its follow-ups (the segment and its audio).
        var commits = context.Checkpoints.Commits.Where(c => c.FollowUps.Count > 0).ToList();
        Assert.That(commits, Has.Count.EqualTo(recorded.Count));
        foreach (var (commit, segment) in commits.Zip(recorded))
        {
            Assert.That(commit.FollowUps.Select(f => f.TaskType), Is.EqualTo(new[] { "video_probe", "transcribe" }));
            Assert.That((string?)commit.FollowUps[0].Parameters["input_path"], Is.EqualTo((string?)segment!["file"]));
            Assert.That((string?)commit.FollowUps[1].Parameters["input_path"], Is.EqualTo((string?)segment["audio"]).And.EndWith(".wav"));
            Assert.That((string?)commit.FollowUps[1].Parameters["language"], Is.EqualTo("en"));
            Assert.That(segment["follow_ups"]!.AsArray().Select(n => (string?)n), Is.EqualTo(commit.FollowUps.Select(f => f.JobId)));
        }

        var kept = output["segments"]!.AsArray();
        Assert.That(kept, Has.Count.EqualTo(2));
        foreach (var segment in kept)
        {
            var probe = await VideoJobs.ProbeAsync((string)segment!["path"]!);
            Assert.That(probe.Duration!.Value.TotalSeconds, Is.GreaterThan(0.2), "each segment plays alone");
            Assert.That(probe.PrimaryVideo, Is.Not.Null);
            Assert.That(File.Exists((string)segment["audio_path"]!), Is.True);
        }

        var csv = File.ReadAllLines((string)output["segment_list"]!);
        Assert.That(csv[0], Is.EqualTo(SegmentCsv.Header));
        Assert.That(csv, Has.Length.EqualTo(recorded.Count + 1));
    }

    [Test]
    public async Task ASourceKilledForFiveSeconds_IsReconnected_AndTheGapIsRecorded()
    {
        using var source = LiveSource.Start("http");
        var handler = Handler(source);
        var context = VideoJobs.Context("stream_ingest", new JsonObject
        {
            ["input_path"] = source.Url,
            ["segment_seconds"] = 2,
            ["max_duration_seconds"] = 8,
            ["stall_seconds"] = 3,
            ["reconnect_timeout_seconds"] = 30,
            ["reconnect_backoff_max_seconds"] = 1,
        });
        var run = TestJobContext.RunAsync(handler, context);
        await WaitAsync(() => context.Checkpoints.State?["segments"]?.AsArray().Count >= 1, run);
        source.Kill();
        await Task.Delay(TimeSpan.FromSeconds(5));
        source.Restart();
        var output = await run.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.That((int)output["reconnects"]!, Is.GreaterThanOrEqualTo(1));
        Assert.That((int)output["gaps"]!, Is.GreaterThanOrEqualTo(1), output.ToJsonString());
        var segments = context.Checkpoints.State!["segments"]!.AsArray();
        var gap = segments.Select(s => (double)s!["gap_before"]!).Max();
        Assert.That(gap, Is.InRange(4.0, 15.0), "the gap spans the 5 s the source was away");
        var withGap = segments.First(s => (double)s!["gap_before"]! == gap)!;
        var before = segments[segments.IndexOf(withGap) - 1]!;
        Assert.That((double)withGap["start"]!, Is.EqualTo((double)before["start"]! + (double)before["duration"]! + gap).Within(0.01), "stream time includes the gap");
        Assert.That((double)output["recorded_seconds"]!, Is.InRange(7.5, 8.5));
    }

    [TestCase("http")]
    [TestCase("hls")]
    public async Task ASourceThatEndsCleanly_CompletesTheJobAtOnce_NotAfterTheReconnectTimeout(string kind)
    {
        using var source = LiveSource.Start(kind, seconds: 6);
        var handler = Handler(source);
        var context = VideoJobs.Context("stream_ingest", new JsonObject
        {
            ["input_path"] = source.Url,
            ["segment_seconds"] = 2,
            ["reconnect_timeout_seconds"] = 120,
        });
        var clock = Stopwatch.StartNew();
        var output = await TestJobContext.RunAsync(handler, context).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.That((string?)output["end_reason"], Is.EqualTo("stream_ended"), output.ToJsonString());
        // Taken for a drop, the end would have been retried for reconnect_timeout_seconds (120 s).
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(30)), "done when the source ended");
        Assert.That((double)output["recorded_seconds"]!, Is.InRange(kind == "hls" ? 2.0 : 4.5, 6.5));
    }

    [Test]
    public async Task Cancel_EndsWithinASecond_KeepingTheCurrentSegment_AndLeavesNoFfmpeg()
    {
        using var source = LiveSource.Start("http");
        var handler = Handler(source);
        var context = VideoJobs.Context("stream_ingest", new JsonObject { ["input_path"] = source.Url, ["segment_seconds"] = 2 });
        using var cancel = new CancellationTokenSource();
        var run = TestJobContext.RunAsync(handler, context, cancel.Token);
        await WaitAsync(() => context.Checkpoints.State?["segments"]?.AsArray().Count >= 1, run);
        await Task.Delay(TimeSpan.FromSeconds(1)); // mid-segment
        var clock = Stopwatch.StartNew();
        await cancel.CancelAsync();
        Assert.That(async () => await run, Throws.InstanceOf<OperationCanceledException>());
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(1)));
        Assert.That(FfmpegWritingInto(context.Files.OutputDirectory), Is.Empty, "no ffmpeg left");

        var segments = context.Checkpoints.State!["segments"]!.AsArray();
        Assert.That(segments, Has.Count.GreaterThanOrEqualTo(2), "the segment being written when cancelled was finished and recorded");
        var last = segments[^1]!;
        Assert.That((double)last["duration"]!, Is.InRange(0.01, 2.1));
        var probe = await VideoJobs.ProbeAsync((string)last["file"]!);
        Assert.That(probe.Duration!.Value.TotalSeconds, Is.GreaterThan(0));
    }

    [Test]
    public async Task AResumedJob_ContinuesWithTheNextSegmentNumber_AndRecordsTheGap()
    {
        using var source = LiveSource.Start("http");
        var handler = Handler(source);
        var jobId = Guid.NewGuid().ToString();
        var parameters = new JsonObject { ["input_path"] = source.Url, ["segment_seconds"] = 2, ["max_duration_seconds"] = 4 };
        var first = new TestJobContext(VideoTestSetUp.Root, "stream_ingest", parameters.DeepClone().AsObject(), attempt: 1, jobId: jobId);
        await TestJobContext.RunAsync(handler, first);
        var afterFirst = first.Checkpoints.State!;
        var lastIndex = (long)afterFirst["segments"]!.AsArray()[^1]!["index"]!;
        // What a killed attempt leaves: a segment file it was writing but never recorded.
        var stray = Path.Combine(first.Files.OutputDirectory, "segments", SegmentListLine.FileNameOf(lastIndex + 1));
        await File.WriteAllBytesAsync(stray, [1, 2, 3]);
        parameters["max_duration_seconds"] = 8;
        source.Restart();

        var second = new TestJobContext(VideoTestSetUp.Root, "stream_ingest", parameters, attempt: 2, jobId: jobId, checkpoint: afterFirst);
        await TestJobContext.RunAsync(handler, second);
        var segments = second.Checkpoints.State!["segments"]!.AsArray();
        var indexes = segments.Select(s => (long)s!["index"]!).ToList();
        Assert.That(indexes, Is.Unique.And.Ordered.Ascending);
        var resumedAt = segments.First(s => (long)s!["index"]! > lastIndex)!;
        Assert.That((long)resumedAt["index"]!, Is.EqualTo(lastIndex + 1));
        Assert.That((double)resumedAt["gap_before"]!, Is.GreaterThan(0));
        Assert.That(new FileInfo(stray).Length, Is.GreaterThan(3), "the stray file was replaced by a real segment");
    }

    [Test]
    public void AUrlOutsideTheAllowList_IsRefused()
    {
        var handler = new StreamIngestHandler(VideoJobs.Services("rtmp://127.0.0.1:1935/allowed/"), TimeProvider.System);
        var context = VideoJobs.Context("stream_ingest", new JsonObject { ["input_path"] = "rtmp://127.0.0.1:1935/other/stream" });
        var error = Assert.ThrowsAsync<PermanentJobException>(() => TestJobContext.RunAsync(handler, context));
        Assert.That(error!.Message, Does.Contain("VIDEO_ALLOWED_URL_PREFIXES"));
    }

    [Test]
    public void AFollowUpReadingAudio_WithoutAudioExtraction_IsRefused()
    {
        var handler = new StreamIngestHandler(VideoJobs.Services("rtmp://127.0.0.1:1935"), TimeProvider.System);
        var context = VideoJobs.Context("stream_ingest", new JsonObject
        {
            ["input_path"] = "rtmp://127.0.0.1:1935/live/stream",
            ["follow_ups"] = new JsonArray(new JsonObject { ["task_type"] = "transcribe", ["input"] = "audio" }),
        });
        var error = Assert.ThrowsAsync<PermanentJobException>(() => TestJobContext.RunAsync(handler, context));
        Assert.That(error!.Message, Does.Contain("extract_audio"));
    }

    private static StreamIngestHandler Handler(LiveSource source) => new(VideoJobs.Services(source.AllowedPrefix), TimeProvider.System);

    private static async Task WaitAsync(Func<bool> condition, Task run)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            if (run.IsCompleted)
            {
                await run;
                Assert.Fail("The ingest ended before the condition held.");
            }

            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), "timed out waiting");
            await Task.Delay(50);
        }
    }

    /// <summary>ffmpeg processes whose working folder or arguments are inside <paramref name="folder"/>.</summary>
    internal static List<int> FfmpegWritingInto(string folder)
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            try
            {
                var argv = File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0', StringSplitOptions.RemoveEmptyEntries);
                var cwd = new DirectoryInfo(Path.Combine(dir, "cwd")).LinkTarget ?? string.Empty;
                if (argv.Length > 0 && Path.GetFileName(argv[0]) == "ffmpeg" && (cwd.StartsWith(folder, StringComparison.Ordinal) || argv.Any(a => a.Contains(folder, StringComparison.Ordinal))))
                {
                    found.Add(pid);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
            }
        }

        return found;
    }
}
