using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Npgsql;
using NpgsqlTypes;

namespace MediaWorker.Storage.Postgres;

/// <summary>
/// The claim of <see cref="JobClaimer"/> on PostgreSQL, as one statement: per task type the
/// oldest highest-priority due jobs up to its allowance, plus expired leases with attempts left,
/// each locked <c>FOR UPDATE SKIP LOCKED</c> so that claimers on other boxes pass over rows being
/// claimed instead of waiting for them, cut to the free slots in priority, age, id order and
/// leased in the same UPDATE … RETURNING.
/// </summary>
/// <remarks>
/// Leases that expired on their last attempt, or while a cancel was asked, are left to the
/// elected worker's maintenance (<see cref="LeaseReaper"/>): the claim reclaims only jobs that may
/// run again. Not thread-safe: one instance per connection.
/// </remarks>
public sealed class PostgresJobClaimer(DbConnection connection) : IJobClaimer
{
    private readonly NpgsqlConnection _connection = (NpgsqlConnection)connection;
    private readonly Dictionary<int, string> _sql = [];

    public IReadOnlyList<ClaimedJob> Claim(ClaimRequest request, long nowMs)
    {
        ArgumentNullException.ThrowIfNull(request);
        var allowances = request.Allowances.Where(a => a.Allowance > 0).ToList();
        if (request.Limit <= 0 || allowances.Count == 0)
        {
            return [];
        }

        var token = Convert.ToHexString(RandomNumberGenerator.GetBytes(12));
        using var transaction = WriteTransaction.Begin(_connection);
        using var command = _connection.CreateCommand();
        command.CommandText = SqlFor(allowances.Count);
        command.Parameters.Add(new NpgsqlParameter<long>("now", nowMs));
        command.Parameters.Add(new NpgsqlParameter<long>("until", nowMs + (long)request.Lease.TotalMilliseconds));
        command.Parameters.Add(new NpgsqlParameter<string>("owner", request.Owner));
        command.Parameters.Add(new NpgsqlParameter<string>("token", token));
        command.Parameters.Add(new NpgsqlParameter<long>("limit", request.Limit));
        command.Parameters.Add(new NpgsqlParameter("types", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = allowances.Select(a => a.TaskType).ToArray() });
        for (var i = 0; i < allowances.Count; i++)
        {
            command.Parameters.Add(new NpgsqlParameter<string>($"t{i}", allowances[i].TaskType));
            command.Parameters.Add(new NpgsqlParameter<long>($"n{i}", Math.Min(allowances[i].Allowance, request.Limit)));
        }

        List<ClaimedJob> claimed;
        using (var reader = command.ExecuteReader())
        {
            claimed = ClaimedRows.Read(reader, nowMs, token);
        }

        var inOrder = ClaimedRows.Settle(_connection, claimed, nowMs);
        transaction.Commit();
        return inOrder;
    }

    public void Dispose()
    {
    }

    private string SqlFor(int typeCount)
    {
        if (!_sql.TryGetValue(typeCount, out var sql))
        {
            sql = BuildSql(typeCount);
            _sql[typeCount] = sql;
        }

        return sql;
    }

    /// <summary>
    /// One CTE per task type (each walks <c>jobs_queue</c> and stops after its allowance) and one for
    /// expired leases (<c>jobs_lease</c>); a locking clause is not allowed inside UNION, so each is
    /// its own CTE and the union only reads their ids.
    /// </summary>
    internal static string BuildSql(int typeCount)
    {
        var ctes = new StringBuilder("WITH ");
        var union = new StringBuilder();
        for (var i = 0; i < typeCount; i++)
        {
            ctes.Append(CultureInfo.InvariantCulture, $"""
                q{i} AS (
                    SELECT id, priority, created_at FROM jobs
                    WHERE status = 'queued' AND task_type = @t{i} AND run_after <= @now AND cancel_requested = 0
                        AND NOT EXISTS (SELECT 1 FROM paused_queues WHERE paused_queues.task_type = @t{i})
                    ORDER BY priority DESC, created_at, id LIMIT @n{i}
                    FOR UPDATE SKIP LOCKED),

                """);
            union.Append(CultureInfo.InvariantCulture, $"SELECT * FROM q{i} UNION ALL ");
        }

        ctes.Append("""
            expired AS (
                SELECT id, priority, created_at FROM jobs
                WHERE status = 'processing' AND lease_expires_at < @now AND cancel_requested = 0
                    AND attempts < max_retries + 1 AND task_type = ANY(@types)
                    AND NOT EXISTS (SELECT 1 FROM paused_queues WHERE paused_queues.task_type = jobs.task_type)
                ORDER BY priority DESC, created_at, id LIMIT @limit
                FOR UPDATE SKIP LOCKED),

            """);
        union.Append("SELECT * FROM expired");
        return $"""
            {ctes}picked AS (
                SELECT id FROM ({union}) AS candidates ORDER BY priority DESC, created_at, id LIMIT @limit)
            UPDATE jobs
            SET status = 'processing', lease_owner = @owner, lease_token = @token, lease_expires_at = @until,
                attempts = attempts + 1, started_at = @now, updated_at = @now, progress = 0, worker_id = @owner
            FROM picked WHERE jobs.id = picked.id
            RETURNING jobs.id, job_id, task_type, params::text, attempts, max_retries, timeout_seconds, created_at, priority
            """;
    }
}
