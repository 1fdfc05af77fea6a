using System.Data.Common;
using Npgsql;

namespace MediaWorker.Storage.Postgres;

/// <summary>
/// Many jobs in one transaction on PostgreSQL: each group is one INSERT … SELECT FROM unnest(arrays),
/// one round trip and one parse for the whole group, with the same duplicate rule as a single insert.
/// </summary>
internal static class PostgresBulkInsert
{
    private const int RowsPerStatement = 1000;

    private static readonly string Sql = JobSubmitter.InsertColumns + """

        SELECT j, t, CAST(p AS jsonb), 'queued', pr, 0, @now, @now, 0, m, c, 0, ra, tmo, k, pa, w
        FROM unnest(@j, @t, @p, @pr, @m, @c, @ra, @tmo, @k, @pa, @w) AS x(j, t, p, pr, m, c, ra, tmo, k, pa, w)
        ON CONFLICT DO NOTHING
        """;

    public static void InsertMany(DbConnection connection, IEnumerable<NewJob> jobs, long nowMs)
    {
        using var transaction = WriteTransaction.Begin(connection);
        foreach (var group in jobs.Chunk(RowsPerStatement))
        {
            // Dapper would expand an array parameter into a list; unnest wants the array itself.
            using var command = (NpgsqlCommand)connection.CreateCommand();
            command.CommandText = Sql;
            command.Parameters.AddWithValue("now", nowMs);
            command.Parameters.AddWithValue("j", group.Select(g => g.JobId).ToArray());
            command.Parameters.AddWithValue("t", group.Select(g => g.TaskType).ToArray());
            command.Parameters.AddWithValue("p", group.Select(g => g.ParamsJson).ToArray());
            command.Parameters.AddWithValue("pr", group.Select(g => (long)g.Priority).ToArray());
            command.Parameters.AddWithValue("m", group.Select(g => (long)g.MaxRetries).ToArray());
            command.Parameters.Add(Nullable("c", group.Select(g => g.CreatedBy)));
            command.Parameters.AddWithValue("ra", group.Select(g => g.RunAfter).ToArray());
            command.Parameters.AddWithValue("tmo", group.Select(g => g.TimeoutSeconds).ToArray());
            command.Parameters.Add(Nullable("k", group.Select(g => g.IdempotencyKey)));
            command.Parameters.Add(Nullable("pa", group.Select(g => g.ParentJobId)));
            command.Parameters.Add(Nullable("w", group.Select(g => g.WebhookUrl)));
            command.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    private static NpgsqlParameter Nullable(string name, IEnumerable<string?> values) =>
        new(name, NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text) { Value = values.ToArray() };
}
