using MediaWorker.Plugins.Abstractions;
using NUnit.Framework;

namespace MediaWorker.Tests.Plugins.Abstractions;

/// <summary>The one backoff of the daemon and its plugins (job retries, database probes, MQTT reconnects, Gemini's in-call retries).</summary>
public sealed class ExponentialBackoffTests
{
    [Test]
    public void Delays_Double_WithJitterInTheUpperHalf_UpToTheCap()
    {
        var backoff = new ExponentialBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10));
        var ceilings = new[] { 1, 2, 4, 8, 10, 10, 10 };

        for (var attempt = 1; attempt <= ceilings.Length; attempt++)
        {
            var ceiling = ceilings[attempt - 1];
            Assert.That(backoff.Ceiling(attempt), Is.EqualTo(TimeSpan.FromSeconds(ceiling)));
            for (var draw = 0; draw < 50; draw++)
            {
                Assert.That(backoff.Delay(attempt).TotalSeconds, Is.InRange(ceiling / 2.0, ceiling), $"attempt {attempt}");
            }
        }
    }

    [Test]
    public void TheJitter_SpreadsOverTheUpperHalf_NotOneValue()
    {
        var backoff = new ExponentialBackoff(TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(8), new Random(7));

        var delays = Enumerable.Range(0, 200).Select(_ => backoff.Delay(1).TotalSeconds).ToList();

        Assert.That(delays.Min(), Is.LessThan(4.5));
        Assert.That(delays.Max(), Is.GreaterThan(7.5));
    }

    [Test]
    public void AttemptsBelowOne_CountAsTheFirst_AndHugeOnesStayAtTheCap()
    {
        var backoff = new ExponentialBackoff(TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(10));

        Assert.That(backoff.Ceiling(0), Is.EqualTo(TimeSpan.FromSeconds(2)));
        Assert.That(backoff.Ceiling(-5), Is.EqualTo(TimeSpan.FromSeconds(2)));
        Assert.That(backoff.Ceiling(int.MaxValue), Is.EqualTo(TimeSpan.FromMinutes(10)));
    }

    [Test]
    public void ARequestedDelay_IsAFloor()
    {
        var backoff = new ExponentialBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

        Assert.That(backoff.Delay(1, requested: TimeSpan.FromSeconds(30)), Is.EqualTo(TimeSpan.FromSeconds(30)));
        Assert.That(backoff.Delay(1, requested: TimeSpan.FromMilliseconds(1)).TotalSeconds, Is.InRange(0.5, 1));
    }

    [Test]
    public void AZeroBase_RetriesAtOnce()
    {
        var backoff = new ExponentialBackoff(TimeSpan.Zero, TimeSpan.Zero);

        Assert.That(backoff.Delay(3), Is.EqualTo(TimeSpan.Zero));
    }

    [Test]
    public void ACapBelowTheBase_OrANegativeBase_IsRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new ExponentialBackoff(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new ExponentialBackoff(TimeSpan.FromSeconds(-1), TimeSpan.FromSeconds(1)));
    }
}
