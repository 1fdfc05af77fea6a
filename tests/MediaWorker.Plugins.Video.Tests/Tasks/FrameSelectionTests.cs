using MediaWorker.Plugins.Video.Tasks;
using NUnit.Framework;

namespace MediaWorker.Plugins.Video.Tests.Tasks;

public sealed class FrameSelectionTests
{
    private static List<TimeSpan> Seconds(params double[] values) => [.. values.Select(TimeSpan.FromSeconds)];

    [Test]
    public void SelectEvenly_KeepsEverything_WhenThereAreFewEnoughCandidates() =>
        Assert.That(FrameSelection.SelectEvenly(Seconds(0, 1, 2), 3), Is.EqualTo(new[] { 0, 1, 2 }));

    [Test]
    public void SelectEvenly_KeepsFirstAndLast_AndSpreadsTheRestEvenlyInTime()
    {
        // Ten candidates one second apart, four allowed: targets 0, 3, 6, 9.
        var candidates = Seconds(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);

        Assert.That(FrameSelection.SelectEvenly(candidates, 4), Is.EqualTo(new[] { 0, 3, 6, 9 }));
    }

    [Test]
    public void SelectEvenly_SpreadsByTime_NotByIndex()
    {
        // Candidates bunched at the start: by index the picks would be 0, 3, 6, 9 (0, 0.3, 0.6, 10 s);
        // evenly in time the targets are 0, 3.33, 6.67 and 10 s.
        var candidates = Seconds(0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 4, 7, 10);

        Assert.That(FrameSelection.SelectEvenly(candidates, 4), Is.EqualTo(new[] { 0, 7, 8, 9 }));
    }

    [Test]
    public void SelectEvenly_NeverPicksTheSameCandidateTwice_AndStaysInOrder()
    {
        // Targets 0, 33.3, 66.7 and 100 s but only one candidate near the end: the middle picks take
        // the latest early candidates that still leave room for the rest, distinct and ascending.
        var candidates = Seconds(0, 0.01, 0.02, 0.03, 100);

        var picked = FrameSelection.SelectEvenly(candidates, 4);

        Assert.That(picked, Is.EqualTo(new[] { 0, 2, 3, 4 }));
    }

    [Test]
    public void SelectEvenly_WithOneFrameAllowed_KeepsTheFirst() =>
        Assert.That(FrameSelection.SelectEvenly(Seconds(0, 1, 2), 1), Is.EqualTo(new[] { 0 }));

    [Test]
    public void SelectEvenly_WithTwoFramesAllowed_KeepsFirstAndLast() =>
        Assert.That(FrameSelection.SelectEvenly(Seconds(0, 1, 2, 3, 4), 2), Is.EqualTo(new[] { 0, 4 }));
}
