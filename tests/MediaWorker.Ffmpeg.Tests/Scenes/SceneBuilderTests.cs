using MediaWorker.Ffmpeg.Scenes;
using NUnit.Framework;

namespace MediaWorker.Ffmpeg.Tests.Scenes;

public sealed class SceneBuilderTests
{
    private static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);

    [Test]
    public void Build_WithoutCuts_GivesOneSceneOverEverything()
    {
        var scenes = SceneBuilder.Build([], S(10), TimeSpan.Zero);

        Assert.That(scenes, Is.EqualTo(new[] { new Scene(0, TimeSpan.Zero, S(10), 0) }));
    }

    [Test]
    public void Build_MergesATooShortSceneIntoThePreviousOne_AndATooShortLastSceneToo()
    {
        // 3-3.4 is too short: it joins 0-3 (not 3.4-6); 9.5-10 is too short and joins 6-9.5.
        var scenes = SceneBuilder.Build([new(S(9.5), 0.8), new(S(3), 0.5), new(S(3.4), 0.9), new(S(6), 0.7)], S(10), S(1));

        Assert.That(scenes, Is.EqualTo(new[]
        {
            new Scene(0, TimeSpan.Zero, S(3.4), 0),
            new Scene(1, S(3.4), S(6), 0.9),
            new Scene(2, S(6), S(10), 0.7),
        }));
    }

    [Test]
    public void Build_MergesARunOfShortScenesIntoTheSceneBeforeThem()
    {
        var scenes = SceneBuilder.Build([new(S(4), 0.5), new(S(4.3), 0.6), new(S(4.6), 0.7), new(S(7), 0.8)], S(10), S(1));

        Assert.That(scenes.Select(s => (s.Start, s.End)), Is.EqualTo(new[] { (TimeSpan.Zero, S(4.6)), (S(4.6), S(7)), (S(7), S(10)) }));
    }

    [Test]
    public void Build_MergesAShortFirstSceneIntoTheNextOne_AsItHasNoneBefore()
    {
        var scenes = SceneBuilder.Build([new(S(0.5), 0.5), new(S(5), 0.7)], S(10), S(1));

        Assert.That(scenes.Select(s => (s.Start, s.End)), Is.EqualTo(new[] { (TimeSpan.Zero, S(5)), (S(5), S(10)) }));
    }

    [Test]
    public void Build_IgnoresCutsAtTheEdges() =>
        Assert.That(SceneBuilder.Build([new(TimeSpan.Zero, 1), new(S(10), 1), new(S(11), 1)], S(10), TimeSpan.Zero), Has.Count.EqualTo(1));
}
