using System.Data.Common;
using MediaWorker.Storage;

namespace MediaWorker.Execution.Writing;

/// <summary>The writer connection and the statements prepared on it, owned by <see cref="DatabaseWriter"/>'s thread.</summary>
public sealed class WriterSession(DbConnection connection, IJobClaimer claimer) : IDisposable
{
    public DbConnection Connection { get; } = connection;
    public IJobClaimer Claimer { get; } = claimer;
    public LeasedJobWriter Writer { get; } = new(connection);

    /// <summary>A session on a fresh connection of <paramref name="store"/>.</summary>
    public static WriterSession Open(IJobStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        var connection = store.Open();
        return new WriterSession(connection, store.CreateClaimer(connection));
    }

    public void Dispose()
    {
        Claimer.Dispose();
        Writer.Dispose();
        Connection.Dispose();
    }
}
