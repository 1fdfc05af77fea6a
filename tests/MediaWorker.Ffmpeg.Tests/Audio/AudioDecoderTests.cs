using System.Buffers.Binary;
using System.Collections.Concurrent;
using MediaWorker.Ffmpeg.Audio;
using MediaWorker.Ffmpeg.Inputs;
using MediaWorker.Ffmpeg.Probing;
using MediaWorker.Ffmpeg.Running;
using MediaWorker.Ffmpeg.Tests.Support;
using MediaWorker.Testing;
using NUnit.Framework;

namespace MediaWorker.Ffmpeg.Tests.Audio;

public sealed class AudioDecoderTests
{
    private readonly AudioDecoder _decoder = new(new FfmpegRunner(FfmpegToolPaths.Default), new FfprobeRunner(FfmpegToolPaths.Default));

    [Test]
    public async Task DecodePcmAsync_Gives16kHzMonoFloats_OfTheWholeInput()
    {
        var progress = new ConcurrentQueue<int>();

        var samples = await _decoder.DecodePcmAsync(
            MediaInput.FromFile(Clips.Get.Main), new AudioDecodeOptions { Progress = new SyncProgress(progress.Enqueue) }, CancellationToken.None);

        Assert.That(samples.Length, Is.EqualTo(16_000 * (int)TestClips.MainSeconds).Within(1600));

        // lavfi's sine has amplitude 1/8: its RMS is 0.125/sqrt(2).
        var middle = samples.AsSpan(4000, 16000).ToArray();
        var rms = Math.Sqrt(middle.Average(s => (double)s * s));
        Assert.That(rms, Is.EqualTo(0.125 / Math.Sqrt(2)).Within(0.01));
        Assert.That(ZeroCrossings(middle), Is.EqualTo(880).Within(10), "a 440 Hz tone crosses zero 880 times a second");
        Assert.That(progress.ToArray()[^1], Is.EqualTo(100));
    }

    [Test]
    public async Task DecodePcmAsync_DecodesOnlyTheRange()
    {
        var samples = await _decoder.DecodePcmAsync(
            MediaInput.FromFile(Clips.Get.Main), new AudioDecodeOptions { Start = TimeSpan.FromSeconds(1), End = TimeSpan.FromSeconds(1.5) }, CancellationToken.None);

        Assert.That(samples.Length, Is.EqualTo(8000).Within(160));
    }

    [Test]
    public async Task DecodeWavAsync_WritesA16kHzMono16BitWav()
    {
        using var temp = new TempDirectory("mw-ffmpeg-wav");
        var wav = temp.Combine("speech.wav");

        await _decoder.DecodeWavAsync(MediaInput.FromFile(Clips.Get.AudioOnly), wav, null, CancellationToken.None);

        var header = File.ReadAllBytes(wav).AsSpan(0, 44);
        Assert.That(System.Text.Encoding.ASCII.GetString(header[..4]), Is.EqualTo("RIFF"));
        Assert.That(BinaryPrimitives.ReadInt16LittleEndian(header[22..]), Is.EqualTo(1), "channels");
        Assert.That(BinaryPrimitives.ReadInt32LittleEndian(header[24..]), Is.EqualTo(16000), "sample rate");
        Assert.That(BinaryPrimitives.ReadInt16LittleEndian(header[34..]), Is.EqualTo(16), "bits per sample");
    }

    [Test]
    public void DecodePcmAsync_RefusesInputWithoutAudio()
    {
        var ex = Assert.ThrowsAsync<FfmpegException>(() => _decoder.DecodePcmAsync(MediaInput.FromFile(Clips.Get.VideoOnly), null, CancellationToken.None));

        Assert.That(ex!.Message, Is.EqualTo("the input has no stream matching '0:a:0' (for example no video or no audio stream)"));
    }

    private static int ZeroCrossings(float[] samples) => samples.Zip(samples.Skip(1)).Count(p => p.First < 0 != p.Second < 0);
}
