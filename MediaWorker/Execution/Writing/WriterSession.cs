using MediaWorker.Storage;
using Microsoft.Data.Sqlite;

namespace MediaWorker.Execution.Writing;

/// <summary>The writer connection and the statements prepared on it, owned by <see cref="DatabaseWriter"/>'s thread.</summary>
public sealed class WriterSession(SqliteConnection connection) : IDisposable
{
    public SqliteConnection Connection { get; } = connection;
    public JobClaimer Claimer { get; } = new(connection);
    public LeasedJobWriter Writer { get; } = new(connection);

    public void Dispose()
    {
        Claimer.Dispose();
        Writer.Dispose();
        Connection.Dispose();
    }
}
