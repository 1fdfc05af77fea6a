using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using MediaWorker.Storage.Native;
using Microsoft.Data.Sqlite;

namespace MediaWorker.Storage;

/// <summary>
/// The busy handler of every connection: while another connection holds the write lock, try again
/// after a yield, then after sub-millisecond and 1 ms sleeps, until <c>DATABASE_BUSY_TIMEOUT</c>.
/// </summary>
/// <remarks>
/// It takes the place of the handler <c>PRAGMA busy_timeout</c> installs (set first all the same,
/// so the pragmas before it already wait), with the same timeout. SQLite's own handler sleeps
/// 1, 2, 5, 10 … 100 ms between tries: with four processes claiming back to back, a writer that has
/// waited a while sleeps 100 ms at a time while fresh ones take the lock, and claims measured
/// here stalled for up to two seconds. Our transactions hold the lock for tens of microseconds,
/// so trying again soon is both fair and cheap.
/// </remarks>
internal sealed unsafe class BusyWait : IDisposable
{
    /// <summary>Keeps each connection's handler (and the handle SQLite calls it with) alive as long as the connection.</summary>
    private static readonly ConditionalWeakTable<SqliteConnection, BusyWait> Installed = new();
    private readonly TimeSpan _timeout;
    private GCHandle _self;
    private long _since;

    private BusyWait(TimeSpan timeout)
    {
        _timeout = timeout;
        _self = GCHandle.Alloc(this);
    }

    ~BusyWait() => Dispose();

    public static void Install(SqliteConnection connection, TimeSpan timeout)
    {
        var wait = new BusyWait(timeout);
        Installed.AddOrUpdate(connection, wait);
        // The connection closes (and SQLite forgets the handler) before it can be collected, so the handle outlives every call.
        connection.Disposed += (_, _) => wait.Dispose();
        var rc = Sqlite3.BusyHandler(connection.Handle!.DangerousGetHandle(), &OnBusy, GCHandle.ToIntPtr(wait._self));
        if (rc != 0)
        {
            SqliteException.ThrowExceptionForRC(rc, connection.Handle);
        }
    }

    public static TimeSpan TimeoutOf(SqliteConnection connection) =>
        Installed.TryGetValue(connection, out var wait) ? wait._timeout : TimeSpan.Zero;

    public void Dispose()
    {
        if (_self.IsAllocated)
        {
            _self.Free();
        }

        GC.SuppressFinalize(this);
    }

    [UnmanagedCallersOnly]
    private static int OnBusy(IntPtr state, int count) => ((BusyWait)GCHandle.FromIntPtr(state).Target!).Wait(count);

    /// <summary>SQLite calls this with the number of earlier calls for the same lock; non-zero means try again.</summary>
    private int Wait(int count)
    {
        if (count == 0)
        {
            _since = Stopwatch.GetTimestamp();
        }
        else if (Stopwatch.GetElapsedTime(_since) >= _timeout)
        {
            return 0;
        }

        if (count < 16)
        {
            Thread.Yield();
        }
        else if (count < 64)
        {
            Thread.Sleep(0);
        }
        else
        {
            Thread.Sleep(1);
        }

        return 1;
    }
}
