using System.Runtime.InteropServices;

namespace MediaWorker.Storage.Native;

/// <summary>
/// The two libc calls <see cref="DatabaseFileGuard"/> needs and .NET does not offer: statx(2) for a
/// file's device and inode (its identity, which a path keeps only until the file is deleted or
/// replaced), and access(2), which answers "may this process write the file" the way the kernel
/// will: immutable flag (EPERM), read-only filesystem (EROFS) and permissions (EACCES).
/// </summary>
internal static partial class PosixFileCalls
{
    private const int AtFdCwd = -100;
    private const uint StatxBasicStats = 0x7ff;
    private const int WriteOk = 2;

    /// <summary>errno of a missing file.</summary>
    public const int NoSuchFile = 2;

    /// <summary>The device and inode of <paramref name="path"/>, or the errno that statx failed with.</summary>
    public static (FileIdentity? Identity, int Errno) Identify(string path)
    {
        var buffer = default(StatxBuffer);
        if (Statx(AtFdCwd, path, 0, StatxBasicStats, ref buffer) != 0)
        {
            return (null, Marshal.GetLastPInvokeError());
        }

        return (new FileIdentity(((ulong)buffer.DeviceMajor << 32) | buffer.DeviceMinor, buffer.Inode), 0);
    }

    /// <summary>0 when this process may write <paramref name="path"/>; otherwise the errno access(2) gave.</summary>
    public static int WriteAccessError(string path) =>
        Access(path, WriteOk) == 0 ? 0 : Marshal.GetLastPInvokeError();

    /// <summary>strerror(3) of <paramref name="errno"/>, in English.</summary>
    public static string Describe(int errno) => Marshal.GetPInvokeErrorMessage(errno);

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Statx(int directoryFd, string path, int flags, uint mask, ref StatxBuffer buffer);

    [LibraryImport("libc", EntryPoint = "access", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Access(string path, int mode);

    /// <summary>struct statx: the same layout on every Linux architecture (unlike struct stat), 256 bytes.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    private struct StatxBuffer
    {
        [FieldOffset(32)]
        public ulong Inode;

        [FieldOffset(136)]
        public uint DeviceMajor;

        [FieldOffset(140)]
        public uint DeviceMinor;
    }
}

/// <summary>Which file a path names: the same (device, inode) pair means the same file, even after renames.</summary>
internal readonly record struct FileIdentity(ulong Device, ulong Inode);
