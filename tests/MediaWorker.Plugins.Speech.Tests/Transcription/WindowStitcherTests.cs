using MediaWorker.Plugins.Speech.Transcription;
using NUnit.Framework;

namespace MediaWorker.Plugins.Speech.Tests.Transcription;

/// <summary>Stitching windows with synthetic segments: overlap heard twice, kept once.</summary>
public sealed class WindowStitcherTests
{
    private const int Eot = 50257;

    // Two windows cut at 26 s: the first runs to 27 s, the second starts at 25 s.
    private static readonly AudioWindow First = new(0, 0, 27 * 16_000, double.NegativeInfinity, 26);
    private static readonly AudioWindow Second = new(1, 25 * 16_000, 50 * 16_000, 26, double.PositiveInfinity);

    [Test]
    public void AWordAcrossTheCut_IsKeptOnce_FromTheWindowItStartsIn()
    {
        // "country" starts at 25.8 s and ends at 26.2 s: both windows hear it.
        var first = Segment(" ask what your country", (" ask", 24.6), (" what", 25.0), (" your", 25.4), (" country", 25.8));
        var second = Segment(" your country can do", (" your", 25.4), (" country", 25.8), (" can", 26.4), (" do", 26.8));

        var transcript = WindowStitcher.Stitch([new(First, [first]), new(Second, [second])], Eot, "en", 60, wordTimestamps: true);

        var words = transcript.Segments.SelectMany(s => s.Words).Select(w => w.Word).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(words, Is.EqualTo(new[] { "ask", "what", "your", "country", "can", "do" }), "no duplicate, no gap");
            Assert.That(transcript.Text, Is.EqualTo("ask what your country can do"));
            Assert.That(transcript.Segments.Select(s => s.Text), Is.EqualTo(new[] { "ask what your country", "can do" }));
            Assert.That(transcript.Segments[1].Start, Is.EqualTo(26.4), "the cut segment starts at its first kept word");
            Assert.That(transcript.Segments[0].End, Is.EqualTo(26.2), "the whole segment was kept, so its own end stands");
        });
    }

    [Test]
    public void CjkWordsAcrossTheCut_WithSplitCharacters_AreKeptOnce()
    {
        // 我们 [cut] 回家: 们 is split over two tokens in the first window (U+FFFD each).
        var first = new WindowSegment(25.0, 26.4, "我们回", 0.2, [
            new(1, "我", 0.9, 25.0, 25.3), new(2, "\uFFFD", 0.8, 25.4, 25.6), new(3, "\uFFFD", 0.8, 25.6, 25.8), new(4, "回", 0.9, 26.1, 26.4)]);
        var second = new WindowSegment(25.4, 26.8, "们回家", 0.2, [
            new(5, "们", 0.9, 25.4, 25.8), new(6, "回", 0.9, 26.1, 26.4), new(7, "家", 0.9, 26.4, 26.8)]);

        var transcript = WindowStitcher.Stitch([new(First, [first]), new(Second, [second])], Eot, "zh", 60, wordTimestamps: true);

        Assert.Multiple(() =>
        {
            Assert.That(transcript.Segments.SelectMany(s => s.Words).Select(w => w.Word), Is.EqualTo(new[] { "我", "们", "回", "家" }));
            Assert.That(transcript.Text, Is.EqualTo("我们回家"));
            Assert.That(transcript.Text, Does.Not.Contain("\uFFFD"));
        });
    }

    [Test]
    public void SegmentsWithoutWords_GoByTheirMidpoint()
    {
        var music = new WindowSegment(25.2, 26.2, " [Music]", 0.9, []);
        var musicAgain = new WindowSegment(25.2, 26.2, " [Music]", 0.9, []);

        var transcript = WindowStitcher.Stitch([new(First, [music]), new(Second, [musicAgain])], Eot, "en", 60, wordTimestamps: true);

        Assert.That(transcript.Segments, Has.Count.EqualTo(1));
    }

    [Test]
    public void WithoutWordTimestamps_SegmentsAreStitchedTheSameWay_ButListNoWords()
    {
        var first = Segment(" one two", (" one", 25.0), (" two", 25.9));
        var second = Segment(" two three", (" two", 25.9), (" three", 26.5));

        var transcript = WindowStitcher.Stitch([new(First, [first]), new(Second, [second])], Eot, "en", 60, wordTimestamps: false);

        Assert.Multiple(() =>
        {
            Assert.That(transcript.Text, Is.EqualTo("one two three"));
            Assert.That(transcript.Segments.SelectMany(s => s.Words), Is.Empty);
        });
    }

    [Test]
    public void TimesBeyondTheRealDuration_AreClampedToIt()
    {
        var single = new AudioWindow(0, 0, 24_000, double.NegativeInfinity, double.PositiveInfinity);
        var segment = Segment(" hi", (" hi", 0.8));

        var transcript = WindowStitcher.Stitch([new(single, [segment])], Eot, "en", 1.0, wordTimestamps: true);

        Assert.That((transcript.Segments[0].End, transcript.Segments[0].Words[0].End), Is.EqualTo((1.0, 1.0)));
    }

    /// <summary>A segment whose words each last 0.4 s from the given start.</summary>
    private static WindowSegment Segment(string text, params (string Word, double Start)[] words) =>
        new(words[0].Start, words[^1].Start + 0.4, text, 0.1, words.Select((w, i) => new WindowToken(100 + i, w.Word, 0.9, w.Start, w.Start + 0.4)).ToList());
}
