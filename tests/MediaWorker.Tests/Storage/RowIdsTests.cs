using MediaWorker.Storage;
using NUnit.Framework;

namespace MediaWorker.Tests.Storage;

public sealed class RowIdsTests
{
    [Test]
    public void NewIds_AreVersion7Uuids_OrderedByTheMillisecondTheyWereMadeIn_AndUnique()
    {
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var ids = Enumerable.Range(0, 10_000).Select(_ => RowIds.New()).ToList();
        var after = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        Assert.That(ids, Is.Unique);
        // The text's first 12 hex digits are the time, so as text (which SQLite's index compares) they sort by it.
        var times = ids.Select(id => Convert.ToInt64(id.Replace("-", string.Empty, StringComparison.Ordinal)[..12], 16)).ToList();
        Assert.That(times, Is.Ordered);
        Assert.That(times, Is.All.InRange(before, after));
        Assert.That(ids.Select(id => Guid.Parse(id).Version), Is.All.EqualTo(7));
        Assert.That(ids[0], Does.Match("^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"));
        Assert.That(new NewJob("noop", "{}").JobId, Does.Match("^[0-9a-f-]{14}7"), "jobs get them by default");
    }
}
