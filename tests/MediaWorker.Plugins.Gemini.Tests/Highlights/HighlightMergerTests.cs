using MediaWorker.Plugins.Gemini.Highlights;
using NUnit.Framework;

namespace MediaWorker.Plugins.Gemini.Tests.Highlights;

public sealed class HighlightMergerTests
{
    private static SegmentScore Score(int index, double start, double end, bool highlight, double score = 0.8) =>
        new(new Segment(index, start, end), score, 0.9, new Dictionary<string, double> { ["x"] = score }, $"r{index}", highlight);

    [Test]
    public void AdjacentHighlightSegments_Merge_WithDurationWeightedScores()
    {
        var merged = HighlightMerger.Merge([Score(0, 0, 10, false), Score(1, 10, 20, true, 0.6), Score(2, 20, 40, true, 0.9), Score(3, 40, 50, false)], 10, 120, 50);

        Assert.That(merged, Has.Count.EqualTo(1));
        Assert.That((merged[0].Start, merged[0].End), Is.EqualTo((10.0, 40.0)));
        Assert.That(merged[0].Score, Is.EqualTo(0.8).Within(1e-9));
        Assert.That(merged[0].DimensionScores["x"], Is.EqualTo(0.8).Within(1e-9));
        Assert.That(merged[0].Reason, Is.EqualTo("r1 r2"));
    }

    [Test]
    public void AMergeThatWouldExceedTheMaximum_StartsANewHighlight()
    {
        var merged = HighlightMerger.Merge([Score(0, 0, 10, true), Score(1, 10, 20, true), Score(2, 20, 30, true)], 5, 20, 30);

        Assert.That(merged.Select(h => (h.Start, h.End)), Is.EqualTo(new[] { (0.0, 20.0), (20.0, 30.0) }));
    }

    [Test]
    public void AShortHighlight_IsWidenedAroundItsCentre_InsideTheMediaAndItsNeighbours()
    {
        var merged = HighlightMerger.Merge([Score(0, 0, 2, true), Score(1, 2, 10, false), Score(2, 10, 14, true), Score(3, 14, 15, false), Score(4, 15, 16, true)], 10, 60, 17);

        Assert.That(merged.Select(h => (h.Start, h.End)), Is.EqualTo(new[] { (0.0, 10.0), (10.0, 15.0), (15.0, 17.0) }).Using<(double, double)>((a, b) => Math.Abs(a.Item1 - b.Item1) < 1e-9 && Math.Abs(a.Item2 - b.Item2) < 1e-9));
    }

    [Test]
    public void MaxHighlights_KeepsTheBestInTimeOrder()
    {
        var merged = HighlightMerger.Merge([Score(0, 0, 10, true, 0.7), Score(1, 10, 20, false), Score(2, 20, 30, true, 0.9), Score(3, 30, 40, false), Score(4, 40, 50, true, 0.8)], 5, 60, 50, maxHighlights: 2);

        Assert.That(merged.Select(h => h.Start), Is.EqualTo(new[] { 20.0, 40.0 }));
    }
}
