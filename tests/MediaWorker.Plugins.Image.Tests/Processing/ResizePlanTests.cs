using MediaWorker.Plugins.Image.Processing;
using NUnit.Framework;

namespace MediaWorker.Plugins.Image.Tests.Processing;

public sealed class ResizePlanTests
{
    [TestCase(800, 600, 400, 400, "contain", false, 400, 300, 400, 300)]
    [TestCase(800, 600, 400, null, "contain", false, 400, 300, 400, 300)]
    [TestCase(800, 600, null, 150, "cover", false, 200, 150, 200, 150)]
    [TestCase(800, 600, 200, 200, "cover", false, 267, 200, 200, 200)]
    [TestCase(800, 600, 300, 300, "fill", false, 300, 300, 300, 300)]
    [TestCase(800, 600, 1000, 300, "fill", false, 800, 300, 800, 300)]
    [TestCase(800, 600, 1600, null, "contain", false, 800, 600, 800, 600)]
    [TestCase(800, 600, 1600, null, "contain", true, 1600, 1200, 1600, 1200)]
    [TestCase(800, 600, 1000, 1000, "cover", false, 800, 600, 800, 600)]
    [TestCase(800, 600, 1000, 1000, "cover", true, 1333, 1000, 1000, 1000)]
    [TestCase(10000, 1, 100, 100, "contain", false, 100, 1, 100, 1)]
    public void For_ComputesScaleAndCrop(int sw, int sh, int? w, int? h, string fit, bool upscale, int scaledW, int scaledH, int outW, int outH)
    {
        var plan = ResizePlan.For(sw, sh, w, h, Enum.Parse<FitMode>(fit, ignoreCase: true), upscale);

        Assert.That((plan.ScaledWidth, plan.ScaledHeight, plan.Width, plan.Height), Is.EqualTo((scaledW, scaledH, outW, outH)));
    }

    [Test]
    public void For_Cover_CentresTheCrop() =>
        Assert.That(ResizePlan.For(800, 600, 200, 200, FitMode.Cover, false).CropOffset, Is.EqualTo((33, 0)));

    [Test]
    public void For_WithoutAnyDimension_Throws() =>
        Assert.That(() => ResizePlan.For(800, 600, null, null, FitMode.Contain, false), Throws.ArgumentException.With.Property("ParamName").EqualTo("width"));
}
