using System.Data.Common;
using MediaWorker.Storage.Postgres;
using Microsoft.Data.Sqlite;

namespace MediaWorker.Storage;

/// <summary>
/// A <see cref="FencedUpdate"/> prepared on one connection, run for a batch of jobs inside the
/// caller's transaction. SQLite runs it row by row (in process, a statement costs microseconds);
/// PostgreSQL as one statement for the whole batch (<see cref="PostgresFencedWrite"/>), since
/// every statement there is a round trip. Not thread-safe: one instance per connection.
/// </summary>
internal abstract class FencedWrite : IDisposable
{
    public static FencedWrite Prepare(DbConnection connection, FencedUpdate update) =>
        connection is SqliteConnection ? new RowByRow(connection, update) : new PostgresFencedWrite(connection, update);

    /// <param name="jobs">The jobs to write, each under its own lease token.</param>
    /// <param name="nowMs">The batch's clock.</param>
    /// <param name="values">Per name in <see cref="FencedUpdate.Values"/>, in order, one entry per job (<c>string?[]</c> or <c>long[]</c>).</param>
    /// <returns>Per job, whether its lease still held and the row was written (false: nothing changed).</returns>
    public abstract bool[] Run(IReadOnlyList<ClaimedJob> jobs, long nowMs, params Array[] values);

    public abstract void Dispose();

    /// <summary>One prepared statement per connection, run once per job; exactly one changed row means the lease held.</summary>
    private sealed class RowByRow : FencedWrite
    {
        private readonly DbCommand _command;

        public RowByRow(DbConnection connection, FencedUpdate update)
        {
            _command = connection.CreateCommand();
            _command.CommandText = $"UPDATE jobs SET {update.Set}{LeasedJobWriter.Fence}";
            foreach (var name in new[] { "@job", "@token", "@now" }.Concat(update.Values))
            {
                var parameter = _command.CreateParameter();
                parameter.ParameterName = name;
                _command.Parameters.Add(parameter);
            }
        }

        public override bool[] Run(IReadOnlyList<ClaimedJob> jobs, long nowMs, params Array[] values)
        {
            var written = new bool[jobs.Count];
            var parameters = _command.Parameters;
            parameters[2].Value = nowMs;
            for (var i = 0; i < jobs.Count; i++)
            {
                parameters[0].Value = jobs[i].JobId;
                parameters[1].Value = jobs[i].LeaseToken;
                for (var v = 0; v < values.Length; v++)
                {
                    parameters[3 + v].Value = values[v].GetValue(i) ?? DBNull.Value;
                }

                written[i] = _command.ExecuteNonQuery() == 1;
            }

            return written;
        }

        public override void Dispose() => _command.Dispose();
    }
}
