using System.Collections.Concurrent;
using MediaWorker.Ffmpeg.Inputs;
using MediaWorker.Ffmpeg.Probing;
using MediaWorker.Ffmpeg.Running;
using MediaWorker.Ffmpeg.Scenes;
using MediaWorker.Ffmpeg.Tests.Support;
using NUnit.Framework;

namespace MediaWorker.Ffmpeg.Tests.Scenes;

public sealed class SceneDetectorTests
{
    private const double OneFrame = 1.0 / 25;
    private readonly SceneDetector _detector = new(new FfmpegRunner(FfmpegToolPaths.Default), new FfprobeRunner(FfmpegToolPaths.Default));

    [Test]
    public async Task DetectAsync_FindsTheHardCuts_AndCoversTheWholeVideo()
    {
        var progress = new ConcurrentQueue<int>();

        var scenes = await _detector.DetectAsync(MediaInput.FromFile(Clips.Get.Scenes), 0.3, 0, new SyncProgress(progress.Enqueue), CancellationToken.None);

        Assert.That(scenes.Select(s => s.Index), Is.EqualTo(new[] { 0, 1, 2, 3 }));
        Assert.That(scenes[0].Start, Is.EqualTo(TimeSpan.Zero));
        Assert.That(scenes.Skip(1).Select(s => s.Start.TotalSeconds), Is.EqualTo(TestClips.SceneCutSeconds).Within(OneFrame / 2));
        Assert.That(scenes[^1].End.TotalSeconds, Is.EqualTo(TestClips.ScenesSeconds).Within(0.05));
        Assert.That(scenes.Zip(scenes.Skip(1)).All(p => p.First.End == p.Second.Start), Is.True, "scenes are contiguous");
        Assert.That(scenes.Skip(1).Select(s => s.Score), Has.All.GreaterThan(0.3).And.All.LessThanOrEqualTo(1.0));
        Assert.That(scenes[0].Score, Is.Zero);
        Assert.That(progress.ToArray()[^1], Is.EqualTo(100));
    }

    [Test]
    public async Task DetectAsync_MergesScenesShorterThanTheMinimum()
    {
        // Scenes are 1, 1, 1.6 and 1.4 s long: with 1.2 s the blue scene merges into the red one.
        var scenes = await _detector.DetectAsync(MediaInput.FromFile(Clips.Get.Scenes), 0.3, 1.2, null, CancellationToken.None);

        Assert.That(scenes.Select(s => Math.Round(s.Start.TotalSeconds, 1)), Is.EqualTo(new[] { 0.0, 2.0, 3.6 }));
    }

    [Test]
    public async Task DetectAsync_ReturnsOneScene_ForFootageWithoutCuts()
    {
        var scenes = await _detector.DetectAsync(MediaInput.FromFile(Clips.Get.Main), 0.9, 0, null, CancellationToken.None);

        Assert.That(scenes, Has.Count.EqualTo(1));
        Assert.That(scenes[0].End.TotalSeconds, Is.EqualTo(TestClips.MainSeconds).Within(0.05));
    }

    [Test]
    public void DetectAsync_RefusesAudioOnlyInput()
    {
        var ex = Assert.ThrowsAsync<FfmpegException>(() => _detector.DetectAsync(MediaInput.FromFile(Clips.Get.AudioOnly), 0.3, 0, null, CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain("has no video stream (it has only audio (aac))"));
    }
}
