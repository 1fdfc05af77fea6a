using MediaWorker.Plugins.Image.Native;
using NUnit.Framework;

namespace MediaWorker.Plugins.Image.Tests.Native;

public sealed class MagickRuntimeTests
{
    [Test]
    public void ApplyLimits_SetsImageMagicksLimits_CappedByPolicy()
    {
        // The environment created the plugin with defaults; re-applying them must leave exactly these in force
        // (the system policy.xml only ever lowers a value).
        Assert.Multiple(() =>
        {
            Assert.That(MagickRuntime.GetLimit(ResourceType.WidthResource), Is.EqualTo(16000UL));
            Assert.That(MagickRuntime.GetLimit(ResourceType.ThreadResource), Is.EqualTo((ulong)Math.Max(1, Environment.ProcessorCount / 2)));
            Assert.That(MagickRuntime.GetLimit(ResourceType.ListLengthResource), Is.EqualTo(4000UL), "a backstop at 4x IMAGE_MAX_FRAMES");
            Assert.That(MagickRuntime.GetLimit(ResourceType.MemoryResource), Is.EqualTo(256UL << 20));
        });
    }

    [Test]
    public void HasCoder_KnowsTheAllowListsCoders() =>
        Assert.That(new[] { "JPEG", "PNG", "GIF", "WEBP", "TIFF", "BMP" }.All(MagickRuntime.HasCoder), Is.True);

    [TestCase("Premature end of JPEG file `' @ warning/jpeg.c/JPEGWarningHandler/389", "Premature end of JPEG file")]
    [TestCase("insufficient image data in file `' @ error/jpeg.c/ReadJPEGImage_/1174", "insufficient image data in file")]
    [TestCase("", "ImageMagick gave no reason (this usually means a resource limit or a rule in ImageMagick's policy.xml refused the image)")]
    public void Clean_DropsSourceLocationsAndEmptyNames(string raw, string expected) =>
        Assert.That(MagickErrors.Clean(raw), Is.EqualTo(expected));
}
