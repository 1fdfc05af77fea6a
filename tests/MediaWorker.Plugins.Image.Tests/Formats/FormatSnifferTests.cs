using System.Text;
using MediaWorker.Plugins.Image.Formats;
using NUnit.Framework;
using static MediaWorker.Plugins.Image.Tests.ImageTestEnvironment;

namespace MediaWorker.Plugins.Image.Tests.Formats;

public sealed class FormatSnifferTests
{
    [Test]
    public void Sniff_RecognisesTheGeneratedImages()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Sniff(Images.Landscape).Format, Is.EqualTo(ImageFormat.Jpeg));
            Assert.That(Sniff(Images.AlphaPng).Format, Is.EqualTo(ImageFormat.Png));
            Assert.That(Sniff(Images.AnimatedGif).Format, Is.EqualTo(ImageFormat.Gif));
            Assert.That(Sniff(Images.DeepTiff).Format, Is.EqualTo(ImageFormat.Tiff));
            Assert.That(Sniff(Images.Video).Kind, Is.EqualTo(ContentKind.Video));
            Assert.That(Sniff(Images.Video).Container, Is.EqualTo("mov"));
        });
    }

    [TestCase("RIFF\0\0\0\0WEBPVP8 ", "WEBP")]
    [TestCase("\0\0\0\u0018ftypavif\0\0\0\0mif1", "AVIF")]
    [TestCase("\0\0\0\u0018ftypheic\0\0\0\0mif1", "HEIC")]
    [TestCase("\0\0\0\u0018ftypmif1\0\0\0\0avif", "AVIF")]
    public void Sniff_RecognisesContainerBasedImages(string head, string coder) =>
        Assert.That(FormatSniffer.Sniff(Encoding.Latin1.GetBytes(head)).Format?.Coder, Is.EqualTo(coder));

    [TestCase("\u001aE\u00df\u00a3\u0093B\u0082\u0088matroska", "matroska")]
    [TestCase("RIFF\0\0\0\0AVI LIST", "avi")]
    [TestCase("FLV\u0001\u0005\0\0\0\t", "flv")]
    public void Sniff_RecognisesVideoContainers(string head, string container) =>
        Assert.That(FormatSniffer.Sniff(Encoding.Latin1.GetBytes(head)).Container, Is.EqualTo(container));

    [TestCase("%!PS-Adobe-3.0 EPSF-3.0", "PostScript")]
    [TestCase("%PDF-1.7", "PDF")]
    [TestCase("  <svg width='1'/>", "SVG")]
    [TestCase("push graphic-context", "MVG")]
    [TestCase("BM this is text, not a bitmap", "plain text")]
    [TestCase("\u00ff\u00fe\u0001\u0002\u0003", "unrecognised binary")]
    public void Sniff_RefusesEverythingElse_SayingWhatItIs(string head, string description)
    {
        var result = FormatSniffer.Sniff(Encoding.Latin1.GetBytes(head));

        Assert.That(result.Kind, Is.EqualTo(ContentKind.Refused));
        Assert.That(result.Description, Does.Contain(description));
    }

    private static SniffResult Sniff(string path)
    {
        var bytes = File.ReadAllBytes(path);
        return FormatSniffer.Sniff(bytes.AsSpan(0, Math.Min(bytes.Length, FormatSniffer.HeaderLength)));
    }
}
