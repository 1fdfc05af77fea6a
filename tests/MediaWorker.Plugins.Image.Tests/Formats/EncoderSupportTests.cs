using MediaWorker.Plugins.Image.Formats;
using NUnit.Framework;

namespace MediaWorker.Plugins.Image.Tests.Formats;

public sealed class EncoderSupportTests
{
    [Test]
    public void CanWrite_TheAlwaysPresentFormats() =>
        Assert.That(ImageFormat.All.Where(f => !f.IsOptional).All(EncoderSupport.CanWrite), Is.True);

    [Test]
    public void CanWrite_IsProvenByEncoding_ForAvif() =>
        Assert.That(EncoderSupport.CanWrite(ImageFormat.Avif), Is.True, "Magick.NET bundles libheif with an AV1 encoder");

    [Test]
    public void CanWrite_IsFalse_ForHeic_WhoseEncoderMagickNetLacks() =>
        Assert.That(EncoderSupport.CanWrite(ImageFormat.Heic), Is.False, "Magick.NET's libheif decodes HEIC but bundles no HEVC encoder");
}
