using MediaWorker.Storage.Native;

namespace MediaWorker.Storage;

/// <summary>
/// Checks, before the worker touches its database, that the file at the configured path is still
/// the one it opened, and that the database, its <c>-wal</c> and its <c>-shm</c> can be written.
/// </summary>
/// <remarks>
/// <para>
/// Two failures would otherwise go unseen or kill the process. A deleted or replaced database keeps
/// working through the open descriptors: SQLite writes on into the unlinked inode, every result is
/// lost, and a producer's fresh file at the same path is never served. And the <c>-shm</c> file (the
/// WAL index) is mapped <c>MAP_SHARED</c>: SQLite writes the index in memory on every commit and
/// every checkpoint (the backfill counters). Once the file is immutable (<c>chattr +i</c>) or its
/// filesystem is shutting down, the kernel refuses the page fault of the next such write with
/// SIGBUS, which no error code can catch. The write calls themselves only fail (SQLITE_IOERR), so
/// the signal arrives at the first write into the mapping after a failed commit: the checkpoint.
/// </para>
/// <para>
/// access(2) refuses writing for exactly those causes (EPERM for an immutable file, EROFS for a
/// read-only mount, EACCES for permissions), so checking it before each write transaction keeps
/// the mapping untouched while it cannot be written. The check costs two statx and three access
/// calls, a few microseconds against a transaction's tens. A change in the microseconds between the
/// check and the write is not covered; an emergency read-only ext4 (<c>errors=remount-ro</c>) does
/// not show in access(2) and surfaces as SQLITE_IOERR instead, without a signal.
/// </para>
/// </remarks>
public sealed class DatabaseFileGuard
{
    private readonly string[] _paths;
    private readonly FileIdentity?[] _identities;
    private readonly Lock _lock = new();

    /// <summary>Remembers which file <paramref name="databasePath"/> is now; call right after opening it.</summary>
    public DatabaseFileGuard(string databasePath)
    {
        DatabasePath = databasePath;
        _paths = [databasePath, databasePath + "-wal", databasePath + "-shm"];
        _identities = new FileIdentity?[_paths.Length];
        var (identity, errno) = PosixFileCalls.Identify(databasePath);
        _identities[0] = identity ?? throw new IOException($"Cannot read the status of the job database {databasePath}: {PosixFileCalls.Describe(errno)}.");
    }

    public string DatabasePath { get; }

    /// <summary>The first problem found, or <see langword="null"/> when the database may be written.</summary>
    public DatabaseFileProblem? Check()
    {
        // The database thread and the job monitor's reader both check; the identities are shared.
        lock (_lock)
        {
            for (var i = 0; i < _paths.Length; i++)
            {
                var path = _paths[i];
                var (identity, errno) = PosixFileCalls.Identify(path);
                if (identity is null)
                {
                    if (errno != PosixFileCalls.NoSuchFile)
                    {
                        return new DatabaseFileProblem(DatabaseFileProblemKind.Unwritable, path, errno);
                    }

                    // SQLite creates the -wal and -shm at the first access after opening; until then there is nothing to lose.
                    if (_identities[i] is null)
                    {
                        continue;
                    }

                    return new DatabaseFileProblem(DatabaseFileProblemKind.Deleted, path);
                }

                if (_identities[i] is null)
                {
                    _identities[i] = identity;
                }
                else if (_identities[i] != identity)
                {
                    return new DatabaseFileProblem(DatabaseFileProblemKind.Replaced, path);
                }

                var denied = PosixFileCalls.WriteAccessError(path);
                if (denied != 0)
                {
                    return new DatabaseFileProblem(DatabaseFileProblemKind.Unwritable, path, denied);
                }
            }

            return null;
        }
    }

    /// <exception cref="DatabaseFileException">The database is gone, replaced or cannot be written.</exception>
    public void ThrowIfUnsafe()
    {
        if (Check() is { } problem)
        {
            throw new DatabaseFileException(problem);
        }
    }
}
