using MediaWorker.Plugins.Image.Formats;
using NUnit.Framework;

namespace MediaWorker.Plugins.Image.Tests.Formats;

public sealed class EncoderSupportTests
{
    [Test]
    public void CanWrite_TheAlwaysPresentFormats() =>
        Assert.That(ImageFormat.All.Where(f => !f.IsOptional).All(EncoderSupport.CanWrite), Is.True);

    [Test]
    public void CanWrite_IsProvenByEncoding_ForTheHeifFormats() =>
        Assert.That(EncoderSupport.CanWrite(ImageFormat.Avif) && EncoderSupport.CanWrite(ImageFormat.Heic), Is.True, "this machine's libheif has both encoders");

    [Test]
    public void CanWrite_IsFalse_ForAnOptionalCoderImageMagickLacks() =>
        Assert.That(EncoderSupport.CanWrite(new ImageFormat("jxl", "NOSUCHCODER", "jxl", IsLossy: true, HasAlpha: true, HasFrames: false, IsOptional: true)), Is.False);
}
