using MediaWorker.Storage;
using MediaWorker.Testing;
using MediaWorker.Tests.Support;
using Microsoft.Data.Sqlite;
using NUnit.Framework;
using SQLitePCL;

namespace MediaWorker.Tests.Storage;

/// <summary>
/// The statements the claim loop keeps prepared stay prepared: SQLite re-prepares a cached statement
/// when a bound value could change its plan (a bare <c>LIMIT @n</c> in SQLite 3.53), which costs
/// as much as not caching it at all.
/// </summary>
public sealed class PreparedOnceTests
{
    private const int StmtStatusReprepare = 5;
    private const int StmtStatusRun = 6;

    [Test]
    public void TheClaimLoopsStatements_AreNotPreparedAgain_WhenTheirParametersChange()
    {
        using var store = new StoreFixture(StoreKind.Sqlite);
        var connection = (SqliteConnection)store.Open();
        connection.Handle!.enable_sqlite3_next_stmt(true);
        using var claimer = store.NewClaimer(connection);
        using var writer = new LeasedJobWriter(connection);
        var done = new JobOutcome(OutcomeKind.Completed) { OutputJson = "{}" };

        for (var round = 1; round <= 6; round++)
        {
            store.Now += 1_000;
            for (var i = 0; i < round; i++)
            {
                store.Submit("a");
            }

            var claimed = claimer.Claim(new ClaimRequest($"w{round}", [("a", round)], round, TimeSpan.FromSeconds(30 + round)), store.Now);
            Assert.That(claimed, Has.Count.EqualTo(round));
            Assert.That(writer.ApplyOutcomes(claimed.Select(c => (c, done)).ToList(), store.Now), Is.All.True);
        }

        var statements = Statements(connection).ToList();
        var claim = statements.Single(s => s.Sql.Contains("SET status = 'processing'", StringComparison.Ordinal));
        Assert.That(claim.Runs, Is.EqualTo(6), "the claim ran on one cached statement");
        Assert.That(statements.Where(s => s.Reprepares > 0).Select(s => s.Sql), Is.Empty, "no statement was parsed and planned again");
    }

    private static IEnumerable<(string Sql, int Runs, int Reprepares)> Statements(SqliteConnection connection)
    {
        var db = connection.Handle!;
        for (var statement = raw.sqlite3_next_stmt(db, null); statement is not null && !statement.IsInvalid; statement = raw.sqlite3_next_stmt(db, statement))
        {
            yield return (raw.sqlite3_sql(statement).utf8_to_string() ?? string.Empty, raw.sqlite3_stmt_status(statement, StmtStatusRun, 0), raw.sqlite3_stmt_status(statement, StmtStatusReprepare, 0));
        }
    }
}
