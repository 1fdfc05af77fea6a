using System.Data.Common;
using Npgsql;

namespace MediaWorker.Storage.Postgres;

/// <summary>
/// A <see cref="FencedUpdate"/> for a whole batch of jobs in one statement and one round trip:
/// <c>UPDATE jobs SET … FROM unnest(@job, @token, …) WITH ORDINALITY AS x … RETURNING x.i</c>, with
/// the fence (job id, lease token, status <c>processing</c>) in the WHERE, per row. A job whose
/// lease was lost matches no row and is missing from RETURNING, so it alone is rejected; the others
/// of the batch are written. Under READ COMMITTED a row that another transaction changed meanwhile
/// is checked against the fence again in its new version, as a single-row UPDATE is.
/// </summary>
/// <remarks>
/// The status is compared with <c>(SELECT 'processing')</c>, not the literal: with the literal, the
/// partial lease index (<c>WHERE status = 'processing'</c>) qualifies, and when the table's
/// statistics say about one job is processing (they often do: a queue drains between two
/// ANALYZEs), the planner walks that index and rescans the whole batch for every row it finds,
/// which made a 256-job batch take 140 ms instead of 30. Compared with a value it cannot see at
/// planning time, each job is found through its job_id.
/// </remarks>
internal sealed class PostgresFencedWrite : FencedWrite
{
    private readonly NpgsqlCommand _command;

    public PostgresFencedWrite(DbConnection connection, FencedUpdate update)
    {
        // Each job's values become columns of x (prefixed, so that none shadows a column of jobs).
        var set = update.Values.Aggregate(update.Set, (sql, name) => sql.Replace(name, "x.v_" + name.TrimStart('@'), StringComparison.Ordinal));
        var arrays = string.Concat(update.Values.Select(name => ", " + name));
        var columns = string.Concat(update.Values.Select(name => ", v_" + name.TrimStart('@')));
        _command = new NpgsqlCommand(
            $"""
            UPDATE jobs SET {set}
            FROM unnest(@job, @token{arrays}) WITH ORDINALITY AS x(v_job, v_token{columns}, i)
            WHERE jobs.job_id = x.v_job AND jobs.lease_token = x.v_token AND jobs.status = (SELECT 'processing')
            RETURNING x.i
            """,
            (NpgsqlConnection)connection);
        _command.Parameters.Add(new NpgsqlParameter("job", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text));
        _command.Parameters.Add(new NpgsqlParameter("token", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text));
        _command.Parameters.Add(new NpgsqlParameter<long> { ParameterName = "now" });
        foreach (var name in update.Values)
        {
            _command.Parameters.Add(new NpgsqlParameter { ParameterName = name.TrimStart('@') });
        }
    }

    public override bool[] Run(IReadOnlyList<ClaimedJob> jobs, long nowMs, params Array[] values)
    {
        var written = new bool[jobs.Count];
        if (jobs.Count == 0)
        {
            return written;
        }

        var parameters = _command.Parameters;
        parameters[0].Value = jobs.Select(j => j.JobId).ToArray();
        parameters[1].Value = jobs.Select(j => j.LeaseToken).ToArray();
        parameters[2].Value = nowMs;
        for (var v = 0; v < values.Length; v++)
        {
            parameters[3 + v].Value = values[v];
        }

        using var reader = _command.ExecuteReader();
        while (reader.Read())
        {
            // WITH ORDINALITY counts from 1.
            written[reader.GetInt64(0) - 1] = true;
        }

        return written;
    }

    public override void Dispose() => _command.Dispose();
}
