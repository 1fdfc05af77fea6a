using System.Diagnostics;
using System.Text.Json.Nodes;
using ImageMagick;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.Image.Magick;
using MediaWorker.Testing;
using NUnit.Framework;
using static MediaWorker.Plugins.Image.Tests.ImageTestEnvironment;

namespace MediaWorker.Plugins.Image.Tests.Magick;

/// <summary>
/// Progress events stop ImageMagick mid-operation for cancellation and for the per-image time limit;
/// ImageMagick's own time limit bounds a decode, which raises no progress.
/// </summary>
[NonParallelizable] // The time-limit tests change ImageMagick's process-wide limits.
public sealed class OperationGuardTests
{
    /// <summary>The documented bound (docs/image.md): once the decode is done, a cancelled job ends within 2 seconds.</summary>
    private static readonly TimeSpan CancellationBound = TimeSpan.FromSeconds(2);

    [Test]
    public void Cancellation_StopsADecodeInProgress()
    {
        using var cancellation = new CancellationTokenSource();
        var context = new TestJobContext(Root, "image_conversion", new JsonObject { ["input_path"] = Images.LargeJpeg, ["format"] = "tiff" });
        var run = TestJobContext.RunAsync(Handler("image_conversion"), context, cancellation.Token);
        cancellation.CancelAfter(TimeSpan.FromMilliseconds(30));

        Assert.That(async () => await run, Throws.InstanceOf<OperationCanceledException>());
        AssertNothingWritten(context);
    }

    [Test]
    public async Task Cancellation_DuringALargeResize_EndsTheJobCancelledWithinTheBound()
    {
        // 12 MP Lanczos-upscaled to 48 MP takes seconds; cancel once the decode is done and the resize under way.
        using var cancellation = new CancellationTokenSource();
        var context = new TestJobContext(Root, "image_resize", new JsonObject { ["input_path"] = Images.LargeJpeg, ["width"] = 8000, ["upscale"] = true, ["format"] = "png" });
        var run = TestJobContext.RunAsync(Handler("image_resize"), context, cancellation.Token);
        while (!run.IsCompleted && !context.ReportedProgress.Contains(MediaWorker.Plugins.Image.Processing.ImageRenderer.DecodedPercent))
        {
            await Task.Delay(10);
        }

        await Task.Delay(200);
        Assert.That(run.IsCompleted || context.ReportedProgress.Contains(MediaWorker.Plugins.Image.Processing.ImageRenderer.TransformedPercent), Is.False,
            $"the resize must still be running when it is cancelled (progress {string.Join(",", context.ReportedProgress)}, {run.Exception?.GetBaseException().Message})");

        var cancelledAt = Stopwatch.GetTimestamp();
        await cancellation.CancelAsync();
        Assert.That(async () => await run, Throws.InstanceOf<OperationCanceledException>());
        var took = Stopwatch.GetElapsedTime(cancelledAt);

        TestContext.Out.WriteLine($"ended {took.TotalMilliseconds:0} ms after the cancel");
        Assert.That(took, Is.LessThan(CancellationBound));
        AssertNothingWritten(context);
    }

    [Test]
    public void TimeLimit_StopsALongImageWithAPermanentError()
    {
        try
        {
            // One second is enough to decode 12 MP, not to Lanczos-upscale it to 48 MP on one thread.
            var handlers = CreateHandlers(new Dictionary<string, string?> { ["IMAGE_TIME_LIMIT"] = "1" });
            var parameters = new JsonObject { ["input_path"] = Images.LargeJpeg, ["width"] = 8000, ["upscale"] = true, ["format"] = "tiff" };

            var ex = Assert.ThrowsAsync<PermanentJobException>(() => RunAsync(handlers["image_resize"], parameters));
            Assert.That(ex!.Message, Does.Contain("IMAGE_TIME_LIMIT"));
        }
        finally
        {
            CreateHandlers(); // the defaults again
        }
    }

    [Test]
    public void StoppedGuard_MakesImageMagickAbandonAResize()
    {
        // Each clock reading advances 1 ms: the limit passes after a few readings, which happen in
        // ImageMagick's progress events once the resize is under way.
        var guard = new OperationGuard(TimeSpan.FromMilliseconds(5), CancellationToken.None, new SteppingTime(TimeSpan.FromMilliseconds(1)));
        using var image = new MagickImage(MagickColors.Gray, 800, 600);
        guard.Watch(image);

        image.Resize(4000, 3000);

        Assert.Throws<TimeoutException>(guard.ThrowIfStopped);
        Assert.That(guard.StopRequests, Is.GreaterThan(0), "ImageMagick raised progress and was told to stop");
    }

    private static void AssertNothingWritten(TestJobContext context)
    {
        var output = Path.Combine(Root, "compute", "jobs", context.JobId, "output");
        Assert.That(Directory.Exists(output) && Directory.EnumerateFiles(output).Any(), Is.False, "nothing written");
    }

    private sealed class SteppingTime(TimeSpan step) : TimeProvider
    {
        private long _now;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Add(ref _now, step.Ticks);
    }
}
