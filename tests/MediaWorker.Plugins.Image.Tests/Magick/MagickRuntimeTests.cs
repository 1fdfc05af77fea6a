using System.Text;
using ImageMagick;
using MediaWorker.Plugins.Image.Magick;
using NUnit.Framework;

namespace MediaWorker.Plugins.Image.Tests.Magick;

/// <summary>ImageMagick as the plugin starts it: its own policy, in a fresh directory, and the limits from the settings.</summary>
public sealed class MagickRuntimeTests
{
    [Test]
    public void Start_SetsImageMagicksLimits_FromTheSettings()
    {
        // The environment created the plugin with defaults.
        Assert.Multiple(() =>
        {
            Assert.That(ResourceLimits.Width, Is.EqualTo(16000UL));
            Assert.That(ResourceLimits.Height, Is.EqualTo(16000UL));
            Assert.That(ResourceLimits.Area, Is.EqualTo(100_000_000UL));
            Assert.That(ResourceLimits.Thread, Is.EqualTo((ulong)Math.Max(1, Environment.ProcessorCount / 2)));
            Assert.That(ResourceLimits.ListLength, Is.EqualTo(4000UL), "a backstop at 4x IMAGE_MAX_FRAMES");
            Assert.That(ResourceLimits.Memory, Is.EqualTo(256UL << 20));
            Assert.That(ResourceLimits.Disk, Is.EqualTo(1024UL << 20));
            Assert.That(ResourceLimits.Time, Is.EqualTo(120UL));
        });
    }

    [Test]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Start_WritesThePolicyIntoAFreshOwnerOnlyDirectory_WithTheMapLimit()
    {
        var directory = MagickRuntime.ConfigurationDirectory!;

        Assert.That(Path.GetFileName(directory), Does.StartWith($"{Environment.ProcessId}-"));
        Assert.That(File.GetUnixFileMode(directory), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute));
        var policy = File.ReadAllText(Path.Combine(directory, "policy.xml"));
        Assert.That(policy, Does.Contain("""<policy domain="resource" name="map" value="512MiB"/>"""));
        Assert.That(policy, Does.Contain("""<policy domain="coder" rights="none" pattern="*"/>"""));
        Assert.That(policy, Does.Contain("""<policy domain="delegate" rights="none" pattern="*"/>"""));
    }

    [TestCase(MagickFormat.Svg, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"/>")]
    [TestCase(MagickFormat.Msl, "<?xml version=\"1.0\"?><image><read filename=\"/etc/hostname\"/></image>")]
    [TestCase(MagickFormat.Mvg, "push graphic-context\nviewbox 0 0 10 10\npop graphic-context\n")]
    [TestCase(MagickFormat.Text, "hello")]
    [TestCase(MagickFormat.Ps, "%!PS-Adobe-3.0\nshowpage\n")]
    public void Policy_DeniesCodersOutsideTheAllowList_EvenWhenNamed(MagickFormat format, string content) =>
        Assert.Throws<MagickPolicyErrorException>(() =>
        {
            using var image = new MagickImage(Encoding.UTF8.GetBytes(content), new MagickReadSettings { Format = format });
        });

    [TestCase("https://127.0.0.1:9/x.png")]
    [TestCase("msl:/etc/hostname")]
    [TestCase("ephemeral:/etc/hostname")]
    [TestCase("text:/etc/hostname")]
    public void Policy_DeniesUrlsAndCoderPrefixes_InFileNames(string name) =>
        // Refused by the coder policy, or not even registered (the module policy): either way no coder runs.
        Assert.That(() =>
        {
            using var image = new MagickImage(name);
        }, Throws.InstanceOf<MagickPolicyErrorException>().Or.InstanceOf<MagickMissingDelegateErrorException>().Or.InstanceOf<MagickBlobErrorException>());

    [Test]
    public void Policy_DeniesIndirectReads() =>
        Assert.That(() =>
        {
            using var image = new MagickImage("@/etc/hostname");
        }, Throws.InstanceOf<MagickErrorException>());

    [Test]
    public void Policy_AllowsBlankCanvases() =>
        Assert.DoesNotThrow(() =>
        {
            using var image = new MagickImage("xc:red", 4, 4);
        });

    [TestCase("Premature end of JPEG file `' @ warning/jpeg.c/JPEGWarningHandler/670", "Premature end of JPEG file")]
    [TestCase("insufficient image data in file `' @ error/jpeg.c/ReadJPEGImage_/1174", "insufficient image data in file")]
    [TestCase("", "ImageMagick gave no reason (this usually means a resource limit or the security policy refused the image)")]
    public void Clean_DropsSourceLocationsAndEmptyNames(string raw, string expected) =>
        Assert.That(MagickMessages.Clean(raw), Is.EqualTo(expected));
}
