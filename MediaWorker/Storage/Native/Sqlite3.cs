using System.Runtime.InteropServices;

namespace MediaWorker.Storage.Native;

/// <summary>
/// The one SQLite C function SQLitePCLRaw does not bind: <c>sqlite3_busy_handler</c>. It resolves to
/// the same e_sqlite3 library Microsoft.Data.Sqlite loaded (the package's runtimes/ folder).
/// </summary>
internal static unsafe partial class Sqlite3
{
    [LibraryImport("e_sqlite3", EntryPoint = "sqlite3_busy_handler")]
    public static partial int BusyHandler(IntPtr db, delegate* unmanaged<IntPtr, int, int> handler, IntPtr state);
}
