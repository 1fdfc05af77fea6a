using MediaWorker.Storage.Native;

namespace MediaWorker.Storage;

/// <summary>What <see cref="DatabaseFileGuard"/> found wrong with the database's files.</summary>
public enum DatabaseFileProblemKind
{
    /// <summary>The path no longer exists: the file this process has open is an unlinked inode.</summary>
    Deleted,

    /// <summary>The path names another file than the one this process opened (moved over, or recreated).</summary>
    Replaced,

    /// <summary>The file is there but cannot be written now: immutable, read-only filesystem, permissions.</summary>
    Unwritable,
}

/// <summary>One problem with one of the database's files (the database, its <c>-wal</c> or its <c>-shm</c>).</summary>
/// <param name="Kind">What is wrong.</param>
/// <param name="Path">The file concerned.</param>
/// <param name="Errno">For <see cref="DatabaseFileProblemKind.Unwritable"/>, the errno the kernel answered with.</param>
public sealed record DatabaseFileProblem(DatabaseFileProblemKind Kind, string Path, int Errno = 0)
{
    private const int OperationNotPermitted = 1;
    private const int PermissionDenied = 13;
    private const int ReadOnlyFileSystem = 30;

    /// <summary>Deleted or replaced: this process can never write the database at its path again.</summary>
    public bool IsLost => Kind != DatabaseFileProblemKind.Unwritable;

    /// <summary>One line naming the file and the cause, for the log.</summary>
    public string Cause => Kind switch
    {
        DatabaseFileProblemKind.Deleted => $"{Path} was deleted",
        DatabaseFileProblemKind.Replaced => $"{Path} was replaced by another file",
        _ => Errno switch
        {
            OperationNotPermitted => $"{Path}: the file is immutable (EPERM; see lsattr, chattr -i)",
            ReadOnlyFileSystem => $"{Path}: its filesystem is read-only (EROFS)",
            PermissionDenied => $"{Path}: permission denied (EACCES; check the file's owner and mode)",
            _ => $"{Path}: {PosixFileCalls.Describe(Errno)} (errno {Errno})",
        },
    };
}

/// <summary>Thrown instead of touching a database whose files are gone, replaced or unwritable.</summary>
/// <remarks>An <see cref="IOException"/>, so every "the database is failing" path already handles it.</remarks>
public sealed class DatabaseFileException(DatabaseFileProblem problem) : IOException(problem.Cause)
{
    public DatabaseFileProblem Problem { get; } = problem;
}
