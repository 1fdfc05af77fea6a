using System.Text;
using MediaWorker.Messaging.Mqtt;
using NUnit.Framework;

namespace MediaWorker.Tests.Messaging.Mqtt;

public sealed class JobEventOutboxTests
{
    [Test]
    public void AnEventLeaves_OnlyWhenSettledAsDone_AndTheRestIsResentInOrderAfterARewind()
    {
        var outbox = new JobEventOutbox(10);
        foreach (var name in new[] { "a", "b", "c", "d" })
        {
            outbox.Add(Encoding.UTF8.GetBytes(name));
        }

        var a = Take(outbox);
        var b = Take(outbox);
        var c = Take(outbox);
        Assert.That(outbox.InFlight, Is.EqualTo(3));
        outbox.Settle(a, done: true);
        outbox.Settle(c, done: false); // the link dropped before its PUBACK

        Assert.That(outbox.Count, Is.EqualTo(3));
        outbox.Rewind();
        Assert.That(outbox.InFlight, Is.Zero);
        outbox.Settle(b, done: false); // a late failure from the old connection must not upset the count
        Assert.That(outbox.InFlight, Is.Zero);
        Assert.That(TakeAll(outbox), Is.EqualTo(new[] { "b", "c", "d" }));
        Assert.That(outbox.InFlight, Is.EqualTo(3));
    }

    [Test]
    public void WhenFull_TheOldestIsDropped_AndCounted()
    {
        var outbox = new JobEventOutbox(3);
        var dropped = Enumerable.Range(0, 5).Select(i => outbox.Add(Encoding.UTF8.GetBytes(i.ToString(System.Globalization.CultureInfo.InvariantCulture)))).ToList();

        Assert.That(dropped, Is.EqualTo(new[] { false, false, false, true, true }));
        Assert.That(outbox.Count, Is.EqualTo(3));
        Assert.That(outbox.TakeDropped(), Is.EqualTo(2));
        Assert.That(outbox.TakeDropped(), Is.Zero);
        Assert.That(TakeAll(outbox), Is.EqualTo(new[] { "2", "3", "4" }));
    }

    [Test]
    public void DroppingAnEventInFlight_FreesItsPlaceInTheWindow()
    {
        var outbox = new JobEventOutbox(2);
        outbox.Add([1]);
        outbox.Add([2]);
        var first = Take(outbox);
        Assert.That(outbox.InFlight, Is.EqualTo(1));

        outbox.Add([3]); // drops the first, which is in flight

        Assert.That(outbox.InFlight, Is.Zero);
        outbox.Settle(first, done: true);
        Assert.That(outbox.InFlight, Is.Zero);
        Assert.That(outbox.Count, Is.EqualTo(2));
    }

    private static JobEventOutbox.Pending Take(JobEventOutbox outbox)
    {
        Assert.That(outbox.TryTakeNext(out var pending), Is.True);
        return pending;
    }

    private static List<string> TakeAll(JobEventOutbox outbox)
    {
        var taken = new List<string>();
        while (outbox.TryTakeNext(out var pending))
        {
            taken.Add(Encoding.UTF8.GetString(pending.Payload));
        }

        return taken;
    }
}
