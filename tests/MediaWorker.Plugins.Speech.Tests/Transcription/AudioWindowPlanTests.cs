using MediaWorker.Plugins.Speech.Transcription;
using NUnit.Framework;

namespace MediaWorker.Plugins.Speech.Tests.Transcription;

public sealed class AudioWindowPlanTests
{
    private const int Rate = 16_000;

    [Test]
    public void UpToThirtySeconds_IsOneWindow()
    {
        var windows = AudioWindowPlan.For(new float[30 * Rate]);

        Assert.That(windows, Has.Count.EqualTo(1));
        Assert.That((windows[0].StartSample, windows[0].EndSample), Is.EqualTo((0, 30 * Rate)));
    }

    [Test]
    public void LongAudio_IsCutAtItsQuietestPoint_WithOverlap_AndEveryWindowFitsWhisper()
    {
        var samples = Noise(95);
        // Silence at 25.5 s and, in the next window, at 51 s.
        Array.Clear(samples, (int)(25.5 * Rate), Rate / 25);
        Array.Clear(samples, 51 * Rate, Rate / 25);

        var windows = AudioWindowPlan.For(samples);

        Assert.Multiple(() =>
        {
            Assert.That(windows[0].KeepUntil, Is.EqualTo(25.5).Within(0.03), "cut in the silence");
            Assert.That(windows[1].KeepUntil, Is.EqualTo(51.0).Within(0.05));
            Assert.That(windows.Select(w => w.Length / (double)Rate), Has.All.LessThanOrEqualTo(30));
            Assert.That(windows[^1].EndSample, Is.EqualTo(samples.Length));
            for (var i = 1; i < windows.Count; i++)
            {
                var cut = windows[i].KeepFrom;
                Assert.That(windows[i - 1].KeepUntil, Is.EqualTo(cut), "keep ranges meet");
                Assert.That(windows[i - 1].EndSample / (double)Rate, Is.EqualTo(cut + 1).Within(0.001), "the window before hears a second past the cut");
                Assert.That(windows[i].StartSample / (double)Rate, Is.EqualTo(cut - 1).Within(0.001), "the window after hears a second before it");
            }
        });
    }

    [Test]
    public void TheLastWindow_IsNeverTooShortForWhisper()
    {
        var windows = AudioWindowPlan.For(Noise(31));

        Assert.That(windows[^1].Length, Is.GreaterThan(Rate * 2));
    }

    private static float[] Noise(int seconds)
    {
        var random = new Random(3);
        return Enumerable.Range(0, seconds * Rate).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
    }
}
