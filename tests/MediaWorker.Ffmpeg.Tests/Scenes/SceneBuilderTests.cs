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
    public void Build_DropsACutTooCloseToThePreviousOne_AndATooShortLastScene()
    {
        var scenes = SceneBuilder.Build([new(S(9.5), 0.8), new(S(3), 0.5), new(S(3.4), 0.9), new(S(6), 0.7)], S(10), S(1));

        Assert.That(scenes, Is.EqualTo(new[]
        {
            new Scene(0, TimeSpan.Zero, S(3), 0),
            new Scene(1, S(3), S(6), 0.5),
            new Scene(2, S(6), S(10), 0.7),
        }));
    }

    [Test]
    public void Build_IgnoresCutsAtTheEdges() =>
        Assert.That(SceneBuilder.Build([new(TimeSpan.Zero, 1), new(S(10), 1), new(S(11), 1)], S(10), TimeSpan.Zero), Has.Count.EqualTo(1));
}
