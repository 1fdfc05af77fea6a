using System.Text.Json.Nodes;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.Image.Native;
using MediaWorker.Testing;
using NUnit.Framework;
using static MediaWorker.Plugins.Image.Tests.ImageTestEnvironment;

namespace MediaWorker.Plugins.Image.Tests.Native;

/// <summary>The progress monitor stops ImageMagick mid-operation for cancellation and for the per-image time limit.</summary>
public sealed class OperationGuardTests
{
    [Test]
    public void Cancellation_StopsADecodeInProgress()
    {
        using var cancellation = new CancellationTokenSource();
        var context = new TestJobContext(Root, "image_conversion", new JsonObject { ["input_path"] = Images.LargeJpeg, ["format"] = "tiff" });
        var run = TestJobContext.RunAsync(Handler("image_conversion"), context, cancellation.Token);
        cancellation.CancelAfter(TimeSpan.FromMilliseconds(30));

        Assert.That(async () => await run, Throws.InstanceOf<OperationCanceledException>());
        Assert.That(Directory.Exists(Path.Combine(Root, "compute", "jobs", context.JobId, "output")) &&
            Directory.EnumerateFiles(Path.Combine(Root, "compute", "jobs", context.JobId, "output")).Any(), Is.False, "nothing written");
    }

    [Test]
    public void TimeLimit_StopsALongImageWithAPermanentError()
    {
        // One second is enough to decode 12 MP, not to Lanczos-upscale it to 48 MP on one thread.
        var handlers = CreateHandlers(new Dictionary<string, string?> { ["IMAGE_TIME_LIMIT"] = "1" });
        var parameters = new JsonObject { ["input_path"] = Images.LargeJpeg, ["width"] = 8000, ["upscale"] = true, ["format"] = "tiff" };

        var ex = Assert.ThrowsAsync<PermanentJobException>(() => RunAsync(handlers["image_resize"], parameters));
        Assert.That(ex!.Message, Does.Contain("IMAGE_TIME_LIMIT"));
    }

    [Test]
    public void StoppedGuard_MakesImageMagickAbandonTheDecode()
    {
        // Each clock reading advances 1 ms: the limit passes after a few readings, which happen in
        // ImageMagick's progress callbacks once the decode is under way.
        using var guard = new OperationGuard(TimeSpan.FromMilliseconds(5), CancellationToken.None, new SteppingTime(TimeSpan.FromMilliseconds(1)));
        using var wand = ImageWand.Create(guard);
        using var file = File.OpenHandle(Images.LargeJpeg);

        Assert.Throws<TimeoutException>(() => wand.Read(file, "JPEG"));
        Assert.That(guard.StopRequests, Is.GreaterThan(0), "ImageMagick called the monitor and was told to stop");
    }

    private sealed class SteppingTime(TimeSpan step) : TimeProvider
    {
        private long _now;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Add(ref _now, step.Ticks);
    }
}
