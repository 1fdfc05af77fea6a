using MediaWorker.Testing;
using MediaWorker.Plugins.Image.Settings;
using MediaWorker.Plugins.Image.Tests.Support;
using NUnit.Framework;

namespace MediaWorker.Plugins.Image.Tests.Settings;

public sealed class ImageSettingsTests
{
    [Test]
    public void Read_Defaults()
    {
        var settings = ImageSettings.Read(new DictionarySettings(), workerConcurrency: 1);

        Assert.That((settings.MaxWidth, settings.MaxHeight, settings.MaxAreaPixels, settings.TimeLimit, settings.Threads),
            Is.EqualTo((16000, 16000, 100_000_000L, (TimeSpan?)TimeSpan.FromSeconds(120), Environment.ProcessorCount)));
    }

    [Test]
    public void Read_ThreadsShareTheCoresBetweenSlots() =>
        Assert.That(ImageSettings.Read(new DictionarySettings(), workerConcurrency: 64).Threads, Is.EqualTo(1));

    [Test]
    public void Read_TakesTheValuesGiven()
    {
        var settings = ImageSettings.Read(
            new DictionarySettings(new Dictionary<string, string?> { ["IMAGE_MAX_AREA_MP"] = "2.5", ["IMAGE_TIME_LIMIT"] = "0", ["IMAGE_MAX_MEMORY_MB"] = "64" }), 1);

        Assert.That((settings.MaxAreaPixels, settings.TimeLimit, settings.ToMagickLimits().MemoryBytes), Is.EqualTo((2_500_000L, (TimeSpan?)null, 64UL << 20)));
    }

    [TestCase("IMAGE_MAX_WIDTH", "0")]
    [TestCase("IMAGE_MAX_HEIGHT", "wide")]
    [TestCase("IMAGE_MAX_AREA_MP", "-1")]
    [TestCase("IMAGE_TIME_LIMIT", "1.5")]
    [TestCase("IMAGE_THREADS", "0")]
    public void Read_RefusesAnInvalidValue_NamingTheSetting(string name, string value)
    {
        var ex = Assert.Throws<InvalidOperationException>(() => ImageSettings.Read(new DictionarySettings(new Dictionary<string, string?> { [name] = value }), 1));

        Assert.That(ex!.Message, Does.StartWith($"{name}='{value}' is not valid"));
    }
}
