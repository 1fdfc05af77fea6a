using MediaWorker.Ffmpeg.Diagnostics;
using NUnit.Framework;

namespace MediaWorker.Ffmpeg.Tests.Diagnostics;

public sealed class FfmpegErrorCondenserTests
{
    [Test]
    public void Condense_ExplainsAMissingMoovAtom_AndDropsTheGenericLine()
    {
        var line = FfmpegErrorCondenser.Condense(
        [
            "[mov,mp4,m4a,3gp,3g2,mj2 @ 0x565472be6280] moov atom not found",
            "file:/data/t.mp4: Invalid data found when processing input",
        ]);

        Assert.That(line, Is.EqualTo("moov atom not found: the MP4 is truncated or incomplete"));
    }

    [Test]
    public void Condense_DropsBoilerplate_AndFoldsRepeats()
    {
        var line = FfmpegErrorCondenser.Condense(
        [
            "[libx264 @ 0x1] width not divisible by 2 (321x240)",
            "[libx264 @ 0x2] width not divisible by 2 (321x240)",
            "Error initializing output stream 0:0 -- Error while opening encoder for output stream #0:0 - maybe incorrect parameters such as bit_rate, rate, width or height",
            "Conversion failed!",
        ]);

        Assert.That(line, Is.EqualTo("width not divisible by 2 (321x240); Error initializing output stream 0:0 -- Error while opening encoder for output stream #0:0 - maybe incorrect parameters such as bit_rate, rate, width or height"));
    }

    [Test]
    public void Condense_ExplainsAMapThatMatchesNothing()
    {
        var line = FfmpegErrorCondenser.Condense(["Stream map '0:v:0' matches no streams.", "To ignore this, add a trailing '?' to the map."]);

        Assert.That(line, Is.EqualTo("the input has no stream matching '0:v:0' (for example no video or no audio stream)"));
    }

    [Test]
    public void Condense_ExplainsAProtocolOutsideTheWhitelist()
    {
        var line = FfmpegErrorCondenser.Condense(["[hls @ 0x5] Protocol 'http' not on whitelist 'file,pipe'!", "file:/x/list.m3u8: Invalid argument"]);

        Assert.That(line, Does.StartWith("protocol 'http' is not allowed for this input (allowed: file,pipe)"));
        Assert.That(line, Does.EndWith("; /x/list.m3u8: Invalid argument"));
    }

    [Test]
    public void Condense_SaysSo_WhenNothingWasPrinted()
    {
        Assert.That(FfmpegErrorCondenser.Condense([], "ffprobe", 1), Is.EqualTo("ffprobe failed with exit code 1 and printed no reason."));
    }

    [Test]
    public void Condense_KeepsTheLineShort()
    {
        var line = FfmpegErrorCondenser.Condense(Enumerable.Range(0, 100).Select(i => $"error number {i} with some words"));

        Assert.That(line, Has.Length.LessThanOrEqualTo(400));
        Assert.That(line, Does.Not.Contain('\n'));
    }
}
