using MediaWorker.Storage;
using MediaWorker.Testing;
using MediaWorker.Tests.Support;
using NUnit.Framework;

namespace MediaWorker.Tests.Storage;

/// <summary>The repeated look-ups give the same answers through the cache as a fresh query would, on both stores.</summary>
[TestFixture(StoreKind.Sqlite)]
[TestFixture(StoreKind.Postgres)]
public sealed class StatementCacheTests(StoreKind kind)
{
    private const string StatusOf = "SELECT job_id, status FROM jobs WHERE task_type = @type ORDER BY job_id";

    private StoreFixture _store = null!;

    [SetUp]
    public void SetUp() => _store = new StoreFixture(kind);

    [TearDown]
    public void TearDown() => _store.Dispose();

    [Test]
    public void ARepeatedQuery_SeesNewParametersAndNewRows_EveryTime()
    {
        var a = _store.Submit("a");
        Assert.That(Run("a"), Is.EqualTo(new[] { (a, "queued") }));
        Assert.That(Run("b"), Is.Empty, "the second run binds its own parameter");

        var b = _store.Submit("b");
        _store.Claim(1, "b");
        Assert.That(Run("b"), Is.EqualTo(new[] { (b, "processing") }), "and reads the rows as they are now");

        using var other = _store.Open();
        Assert.That(StatementCache.Query(other, StatusOf, [("@type", "a")], r => r.GetString(0)), Is.EqualTo(new[] { a }), "each connection has its own");
    }

    [Test]
    public void AFailingQuery_Throws_AndTheNextOneWorks()
    {
        Assert.That(() => StatementCache.Query(_store.Connection, "SELECT nope FROM missing_table", [], r => r.GetString(0)), Throws.InstanceOf<System.Data.Common.DbException>());
        var a = _store.Submit("a");
        Assert.That(Run("a"), Is.EqualTo(new[] { (a, "queued") }));
    }

    [Test]
    public void ARepeatedStatement_CountsTheRowsItChanged_AndBindsNullAsNull()
    {
        var a = _store.Submit("a");
        _store.Submit("a");
        const string SetCreatedBy = "UPDATE jobs SET created_by = @by WHERE task_type = @type";
        Assert.That(StatementCache.Execute(_store.Connection, SetCreatedBy, [("@by", "me"), ("@type", "a")]), Is.EqualTo(2));
        Assert.That(StatementCache.Execute(_store.Connection, SetCreatedBy, [("@by", null), ("@type", "nothing")]), Is.Zero);
        Assert.That(StatementCache.Execute(_store.Connection, SetCreatedBy, [("@by", null), ("@type", "a")]), Is.EqualTo(2));
        Assert.That(_store.Row(a).CreatedBy, Is.Null);
    }

    private List<(string, string)> Run(string type) =>
        StatementCache.Query(_store.Connection, StatusOf, [("@type", type)], r => (r.GetString(0), r.GetString(1)));
}
