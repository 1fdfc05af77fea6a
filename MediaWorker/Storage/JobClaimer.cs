using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;

namespace MediaWorker.Storage;

/// <summary>
/// Claims jobs: one UPDATE … RETURNING statement in one IMMEDIATE transaction, for as many jobs as
/// the worker has free slots (per task type no more than that type's allowance), in priority
/// order, then age, then id; queued jobs whose run-after time has come, plus jobs whose lease has
/// expired (their worker died), of task types that are not paused (<see cref="PausedQueues"/>).
/// Each claim counts an attempt and sets a fresh lease token.
/// </summary>
/// <remarks>
/// SQLite has one writer at a time, so no <c>SKIP LOCKED</c> is needed: the IMMEDIATE transaction
/// takes the write lock before reading, and two claimers can never see the same queued row.
/// Not thread-safe: use one instance per connection.
/// </remarks>
public sealed class JobClaimer : IJobClaimer
{
    private readonly SqliteConnection _connection;
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

    public JobClaimer(SqliteConnection connection) => _connection = connection;

    public IReadOnlyList<ClaimedJob> Claim(ClaimRequest request, long nowMs)
    {
        var allowances = request.Allowances.Where(a => a.Allowance > 0).ToList();
        if (request.Limit <= 0 || allowances.Count == 0)
        {
            return [];
        }

        var token = NewToken();
        var leaseUntil = nowMs + (long)request.Lease.TotalMilliseconds;
        using var transaction = WriteTransaction.Begin(_connection);
        LeaseReaper.Reap(_connection, nowMs);
        var command = CommandFor(allowances);
        command.Parameters["@now"].Value = nowMs;
        command.Parameters["@until"].Value = leaseUntil;
        command.Parameters["@owner"].Value = request.Owner;
        command.Parameters["@token"].Value = token;
        command.Parameters["@limit"].Value = request.Limit;
        for (var i = 0; i < allowances.Count; i++)
        {
            command.Parameters[$"@t{i}"].Value = allowances[i].TaskType;
            command.Parameters[$"@n{i}"].Value = Math.Min(allowances[i].Allowance, request.Limit);
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
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }

        _commands.Clear();
    }

    private SqliteCommand CommandFor(List<(string TaskType, int Allowance)> allowances)
    {
        var key = allowances.Count.ToString(CultureInfo.InvariantCulture);
        if (_commands.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var command = _connection.CreateCommand();
        command.CommandText = BuildSql(allowances.Count);
        foreach (var name in new[] { "@now", "@until", "@owner", "@token", "@limit" })
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        for (var i = 0; i < allowances.Count; i++)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = $"@t{i}" });
            command.Parameters.Add(new SqliteParameter { ParameterName = $"@n{i}" });
        }

        _commands[key] = command;
        return command;
    }

    /// <summary>
    /// One sub-select per task type (each walks the <c>jobs_queue</c> index and stops after its
    /// allowance), plus one for expired leases, merged and cut to the free slots in priority order.
    /// A paused type's sub-select gets a LIMIT of 0: the pause is looked up once per claim, not once
    /// per row (as a condition in the WHERE it made a 256-job claim about a third slower;
    /// benchmarks/claim-pause/run.py).
    /// The overall limit is written <c>LIMIT +@limit</c>: SQLite 3.53 re-prepares a statement whose
    /// LIMIT is a bare parameter every time that parameter is bound, and Microsoft.Data.Sqlite binds on
    /// every run, so the cached command was parsed and planned again on every claim (300-400 µs of a
    /// one-job claim). The unary plus makes it an expression, which the planner does not look into.
    /// </summary>
    internal static string BuildSql(int typeCount)
    {
        var candidates = new StringBuilder();
        var types = new StringBuilder();
        for (var i = 0; i < typeCount; i++)
        {
            candidates.Append(CultureInfo.InvariantCulture, $"""
                SELECT * FROM (SELECT id, priority, created_at FROM jobs
                    WHERE status = 'queued' AND task_type = @t{i} AND {DueCondition} AND cancel_requested = 0
                    ORDER BY priority DESC, created_at, id LIMIT CASE WHEN EXISTS (SELECT 1 FROM paused_queues WHERE task_type = @t{i}) THEN 0 ELSE @n{i} END)
                UNION ALL

                """);
            types.Append(i == 0 ? "@t0" : $", @t{i}");
        }

        candidates.Append(CultureInfo.InvariantCulture, $"""
            SELECT * FROM (SELECT id, priority, created_at FROM jobs
                WHERE status = 'processing' AND lease_expires_at < @now AND cancel_requested = 0 AND task_type IN ({types})
                    AND task_type NOT IN (SELECT task_type FROM paused_queues)
                ORDER BY priority DESC, created_at, id LIMIT +@limit)
            """);

        return $"""
            UPDATE jobs
            SET status = 'processing', lease_owner = @owner, lease_token = @token, lease_expires_at = @until,
                attempts = attempts + 1, started_at = @now, updated_at = @now, progress = 0, worker_id = @owner
            WHERE id IN (SELECT id FROM ({candidates}) ORDER BY priority DESC, created_at, id LIMIT +@limit)
            RETURNING id, job_id, task_type, params, attempts, max_retries, timeout_seconds, created_at, priority,
                CASE WHEN typeof(run_after) IN ('text', 'blob') THEN quote(run_after) END
            """;
    }

    /// <summary>
    /// SQLite orders every text after every number, so a run_after of 'soon' would never be due and
    /// the job would wait forever without a word: such a row counts as due, and the runner fails it
    /// with the reason (<see cref="ClaimedJob.UnreadableRunAfter"/>).
    /// </summary>
    private const string DueCondition = "(run_after <= @now OR typeof(run_after) IN ('text', 'blob'))";

    private static string NewToken() => Convert.ToHexString(RandomNumberGenerator.GetBytes(12));
}
