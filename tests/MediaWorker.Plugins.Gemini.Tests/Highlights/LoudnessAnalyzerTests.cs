using MediaWorker.Ffmpeg;
using MediaWorker.Ffmpeg.Audio;
using MediaWorker.Ffmpeg.Inputs;
using MediaWorker.Ffmpeg.Probing;
using MediaWorker.Ffmpeg.Running;
using MediaWorker.Plugins.Gemini.Tests.Support;
using NUnit.Framework;

namespace MediaWorker.Plugins.Gemini.Tests.Highlights;

public sealed class LoudnessAnalyzerTests
{
    [Test]
    public async Task Analyze_MeasuresEvery100Ms_AndFindsTheLoudSection()
    {
        var analyzer = new LoudnessAnalyzer(new FfmpegRunner(FfmpegToolPaths.Default), new FfprobeRunner(FfmpegToolPaths.Default));

        var profile = await analyzer.AnalyzeAsync(MediaInput.FromFile(await TestMedia.LoudClip()));

        Assert.That(profile.Windows, Has.Count.InRange(445, 455));
        Assert.That(profile.Windows[10].Start, Is.EqualTo(TimeSpan.FromSeconds(1)).Within(TimeSpan.FromMilliseconds(1)));
        var loud = profile.Between(TimeSpan.FromSeconds(21), TimeSpan.FromSeconds(29)).ToList();
        var quiet = profile.Between(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(15)).ToList();
        Assert.That(loud.Average(w => w.RmsDb), Is.InRange(-5.0, -3.0), "0.9 amplitude sine: 0.9/sqrt(2), -3.9 dBFS RMS");
        Assert.That(quiet.Average(w => w.RmsDb), Is.InRange(-40.0, -35.0), "0.02 amplitude sine: about -37 dBFS RMS");
        Assert.That(loud.Min(w => w.MomentaryLufs), Is.GreaterThan(quiet.Max(w => w.MomentaryLufs) + 25));
        Assert.That(loud.Max(w => w.PeakDb), Is.InRange(-2.0, 0.0));
        Assert.That(profile.IntegratedLufs, Is.InRange(-7.0, -3.0), "the relative gate leaves out the quiet parts, so the loud tone dominates");
    }

    [Test]
    public void Analyze_AVideoWithoutSound_FailsNamingWhatItHas()
    {
        var analyzer = new LoudnessAnalyzer(new FfmpegRunner(FfmpegToolPaths.Default), new FfprobeRunner(FfmpegToolPaths.Default));
        using var temp = new MediaWorker.Testing.TempDirectory("mw-loud");
        var silent = temp.Combine("silent.mp4");
        new FfmpegRunner(FfmpegToolPaths.Default).RunAsync(["-f", "lavfi", "-i", "testsrc2=s=160x120:r=10:d=1", "-c:v", "libx264", "-preset", "ultrafast", silent], null, CancellationToken.None).GetAwaiter().GetResult();

        var ex = Assert.ThrowsAsync<FfmpegException>(() => analyzer.AnalyzeAsync(MediaInput.FromFile(silent)));

        Assert.That(ex!.Message, Does.Contain("has no audio stream"));
    }
}
