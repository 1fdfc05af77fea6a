using MediaWorker.Messaging.Mqtt;
using NUnit.Framework;

namespace MediaWorker.Tests.Messaging.Mqtt;

public sealed class ReconnectBackoffTests
{
    [Test]
    public void Delays_Double_WithJitterInTheUpperHalf_UpToTheCap_AndResetToTheStart()
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10));
        var ceilings = new[] { 1, 2, 4, 8, 10, 10, 10 };

        foreach (var ceiling in ceilings)
        {
            Assert.That(backoff.Next().TotalSeconds, Is.InRange(ceiling / 2.0, ceiling));
        }

        backoff.Reset();
        Assert.That(backoff.Next().TotalSeconds, Is.InRange(0.5, 1));
    }

    [Test]
    public void ACapBelowTheFirstDelay_IsRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new ReconnectBackoff(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1)));
    }
}
