using MediaWorker.Execution;
using NUnit.Framework;

namespace MediaWorker.Tests.Execution;

public sealed class LatencyHistogramTests
{
    [Test]
    public void CountBetween_CountsTheBandsTheContentionTestCompares()
    {
        var histogram = new LatencyHistogram();
        foreach (var ms in new[] { 1, 2, 40, 80, 100, 140, 160, 170, 290, 900 })
        {
            histogram.Record(TimeSpan.FromMilliseconds(ms));
        }

        Assert.That(histogram.CountBetween(TimeSpan.FromMilliseconds(75), TimeSpan.FromMilliseconds(150)), Is.EqualTo(3));
        Assert.That(histogram.CountBetween(TimeSpan.FromMilliseconds(150), TimeSpan.FromMilliseconds(300)), Is.EqualTo(3));
        Assert.That(histogram.CountBetween(TimeSpan.Zero, TimeSpan.FromHours(1)), Is.EqualTo(histogram.Count));
    }

    [Test]
    public void Percentiles_ReadToWithinABucket()
    {
        var histogram = new LatencyHistogram();
        for (var us = 1; us <= 1000; us++)
        {
            histogram.Record(TimeSpan.FromMicroseconds(us));
        }

        Assert.That(histogram.PercentileMicroseconds(0.5), Is.InRange(500, 500 * 1.13));
        Assert.That(histogram.PercentileMicroseconds(0.99), Is.InRange(990, 1000));
        Assert.That(histogram.Summary(), Does.StartWith("n=1000 p50=").And.EndWith("max=1000us"));
    }
}
