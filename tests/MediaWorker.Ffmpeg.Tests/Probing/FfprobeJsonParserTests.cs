using System.Text.Json;
using MediaWorker.Ffmpeg.Probing;
using NUnit.Framework;

namespace MediaWorker.Ffmpeg.Tests.Probing;

public sealed class FfprobeJsonParserTests
{
    [TestCase("{\"rotation\": -90}", 90)]
    [TestCase("{\"rotation\": 90}", 270)]
    [TestCase("{\"rotation\": 180}", 180)]
    [TestCase("{\"rotation\": -180.0}", 180)]
    public void Parse_TurnsTheDisplayMatrixAngleIntoClockwiseDegrees(string sideData, int expected)
    {
        var info = Parse($"{{\"streams\":[{{\"index\":0,\"codec_type\":\"video\",\"side_data_list\":[{{\"side_data_type\":\"Display Matrix\"}},{sideData}]}}]}}");

        Assert.That(info.Streams[0].Rotation, Is.EqualTo(expected));
    }

    [Test]
    public void Parse_FallsBackToTheRotateTag()
    {
        var info = Parse("{\"streams\":[{\"index\":0,\"codec_type\":\"video\",\"width\":1920,\"height\":1080,\"tags\":{\"rotate\":\"90\"}}]}");

        Assert.That(info.Streams[0].Rotation, Is.EqualTo(90));
        Assert.That(info.Streams[0].DisplayWidth, Is.EqualTo(1080));
    }

    [Test]
    public void Parse_LeavesUnknownValuesEmpty_InsteadOfInventingThem()
    {
        var info = Parse("{\"format\":{\"format_name\":\"hls\",\"duration\":\"N/A\"},\"streams\":[{\"index\":0,\"codec_type\":\"video\",\"avg_frame_rate\":\"0/0\",\"r_frame_rate\":\"30000/1001\"}]}");

        Assert.That(info.Duration, Is.Null);
        Assert.That(info.Streams[0].FrameRate, Is.EqualTo(new Rational(30000, 1001)));
        Assert.That(info.Streams[0].FrameRate!.Value.Value, Is.EqualTo(29.97).Within(0.001));
        Assert.That(info.Streams[0].BitRate, Is.Null);
    }

    [Test]
    public void PrimaryVideo_SkipsCoverArt_AndPrefersTheDefaultStream()
    {
        var info = Parse("""
            {"streams":[
              {"index":0,"codec_type":"video","codec_name":"mjpeg","disposition":{"default":0,"attached_pic":1}},
              {"index":1,"codec_type":"audio","disposition":{"default":0}},
              {"index":2,"codec_type":"audio","disposition":{"default":1}}]}
            """);

        Assert.That(info.PrimaryVideo, Is.Null);
        Assert.That(info.PrimaryAudio!.Index, Is.EqualTo(2));
    }

    [TestCase("25/1", 25L, 1L)]
    [TestCase("30000/1001", 30000L, 1001L)]
    [TestCase("24", 24L, 1L)]
    public void Rational_Parses(string text, long numerator, long denominator) =>
        Assert.That(Rational.Parse(text), Is.EqualTo(new Rational(numerator, denominator)));

    [TestCase("0/0")]
    [TestCase("")]
    [TestCase("x/2")]
    [TestCase("1/0")]
    public void Rational_RefusesWhatIsNotARate(string text) => Assert.That(Rational.Parse(text), Is.Null);

    private static MediaInfo Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return FfprobeJsonParser.Parse(document.RootElement);
    }
}
