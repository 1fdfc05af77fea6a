using System.Collections.Concurrent;
using System.Diagnostics;
using MediaWorker.Ffmpeg.Inputs;
using MediaWorker.Ffmpeg.Running;
using MediaWorker.Ffmpeg.Tests.Support;
using MediaWorker.Testing;
using NUnit.Framework;

namespace MediaWorker.Ffmpeg.Tests.Running;

public sealed class FfmpegRunnerTests
{
    private readonly FfmpegRunner _ffmpeg = new(FfmpegToolPaths.Default);
    private TempDirectory _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempDirectory("mw-ffmpeg");

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public async Task RunAsync_ReportsIncreasingProgress_EndingAt100()
    {
        var reported = new ConcurrentQueue<int>();

        await _ffmpeg.RunAsync(
            [.. MediaInput.FromFile(Clips.Get.Main).Arguments(), "-c:v", "libx264", "-preset", "ultrafast", "-an", _temp.Combine("out.mp4")],
            new FfmpegRunOptions { Duration = TimeSpan.FromSeconds(TestClips.MainSeconds), Progress = new SyncProgress(reported.Enqueue) },
            CancellationToken.None);

        var values = reported.ToArray();
        Assert.That(values, Is.Ordered.Ascending.And.Unique);
        Assert.That(values[^1], Is.EqualTo(100));
        Assert.That(values[..^1], Has.All.LessThan(100));
        Assert.That(values.Length, Is.GreaterThan(1), "progress arrives while ffmpeg runs, not only at the end");
    }

    [Test]
    public async Task RunAsync_ReadsProgressFromStandardError_WhenTheCallerReadsStandardOutput()
    {
        var reported = new ConcurrentQueue<int>();
        long bytes = 0;

        await _ffmpeg.RunAsync(
            [.. MediaInput.FromFile(Clips.Get.Main).Arguments(), "-vn", "-f", "s16le", "-ac", "1", "-ar", "8000", "pipe:1"],
            new FfmpegRunOptions
            {
                Duration = TimeSpan.FromSeconds(TestClips.MainSeconds),
                Progress = new SyncProgress(reported.Enqueue),
                StandardOutput = async (s, ct) =>
                {
                    var buffer = new byte[8192];
                    int read;
                    while ((read = await s.ReadAsync(buffer, ct)) > 0)
                    {
                        bytes += read;
                    }
                },
            },
            CancellationToken.None);

        Assert.That(bytes, Is.EqualTo(8000 * 2 * (long)TestClips.MainSeconds).Within(2 * 8000 / 10), "the raw output is untouched by progress lines");
        Assert.That(reported.ToArray()[^1], Is.EqualTo(100));
    }

    [Test]
    public async Task RunAsync_KillsFfmpeg_WhenCancelled()
    {
        using var cts = new CancellationTokenSource();
        var progress = new SyncProgress(p =>
        {
            if (p >= 1)
            {
                cts.Cancel();
            }
        });
        var stopwatch = Stopwatch.StartNew();

        // An endless source: only cancellation can end this run.
        Assert.CatchAsync<OperationCanceledException>(() => _ffmpeg.RunAsync(
            ["-re", "-f", "lavfi", "-i", "testsrc2=s=320x240:r=25", "-c:v", "libx264", "-preset", "ultrafast", _temp.Combine("endless.mp4")],
            new FfmpegRunOptions { Duration = TimeSpan.FromSeconds(10), Progress = progress },
            cts.Token));

        Assert.That(cts.IsCancellationRequested, Is.True, "ffmpeg reported progress before it was cancelled");
        Assert.That(stopwatch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)));
        Assert.That(ChildProcesses.Named("ffmpeg"), Is.Empty, "no ffmpeg outlives its run");
        await Task.CompletedTask;
    }

    [Test]
    public void RunAsync_ThrowsTimedOut_AndKillsFfmpeg_WhenTheTimeLimitPasses()
    {
        var ex = Assert.ThrowsAsync<FfmpegException>(() => _ffmpeg.RunAsync(
            ["-re", "-f", "lavfi", "-i", "testsrc2=s=160x120:r=10", "-f", "null", "-"],
            new FfmpegRunOptions { Timeout = TimeSpan.FromMilliseconds(500) },
            CancellationToken.None));

        Assert.That(ex!.TimedOut, Is.True);
        Assert.That(ex.ExitCode, Is.Null);
        Assert.That(ex.Message, Does.StartWith("ffmpeg ran longer than its time limit of 0.5 s"));
        Assert.That(ChildProcesses.Named("ffmpeg"), Is.Empty);
    }

    [Test]
    public void RunAsync_CondensesTheReason_ForATruncatedMp4()
    {
        var ex = Assert.ThrowsAsync<FfmpegException>(() => _ffmpeg.RunAsync(
            [.. MediaInput.FromFile(Clips.Get.Truncated).Arguments(), "-f", "null", "-"], null, CancellationToken.None));

        Assert.That(ex!.Message, Is.EqualTo("moov atom not found: the MP4 is truncated or incomplete"));
        Assert.That(ex.ExitCode, Is.Not.Null.And.Not.Zero);
        Assert.That(ex.StandardErrorTail, Has.Some.Contains("moov atom not found"));
    }

    [Test]
    public void RunAsync_CondensesTheReason_ForAFileThatIsNotMedia()
    {
        var ex = Assert.ThrowsAsync<FfmpegException>(() => _ffmpeg.RunAsync(
            [.. MediaInput.FromFile(Clips.Get.NotMedia).Arguments(), "-f", "null", "-"], null, CancellationToken.None));

        Assert.That(ex!.Message, Is.EqualTo($"{Clips.Get.NotMedia}: invalid data found when processing input: it is not a media file ffmpeg can read, or it is corrupt"));
    }

    [Test]
    public void RunAsync_CondensesTheReason_ForAnUnknownEncoder()
    {
        var ex = Assert.ThrowsAsync<FfmpegException>(() => _ffmpeg.RunAsync(
            [.. MediaInput.FromFile(Clips.Get.Main).Arguments(), "-c:v", "h265x", _temp.Combine("x.mp4")], null, CancellationToken.None));

        Assert.That(ex!.Message, Does.StartWith("unknown encoder 'h265x'"));
    }

    [Test]
    public void RunAsync_NamesTheSetting_WhenFfmpegIsMissing()
    {
        var runner = new FfmpegRunner(new FfmpegToolPaths("/nonexistent/ffmpeg", "ffprobe"));

        var ex = Assert.ThrowsAsync<FileNotFoundException>(() => runner.RunAsync(["-version"], null, CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain("FFMPEG_PATH"));
    }
}
