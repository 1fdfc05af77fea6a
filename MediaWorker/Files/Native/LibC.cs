using System.Runtime.InteropServices;

namespace MediaWorker.Files.Native;

/// <summary>The two libc calls the sandbox needs: realpath(3) resolves every link in a path at once.</summary>
internal static partial class LibC
{
    [LibraryImport("libc", EntryPoint = "realpath", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial nint RealPathNative(string path, nint resolved);

    [LibraryImport("libc", EntryPoint = "free")]
    private static partial void Free(nint pointer);

    /// <summary>The canonical path (links, '.' and '..' resolved), or null when a component does not exist.</summary>
    public static string? RealPath(string path)
    {
        var result = RealPathNative(path, 0);
        if (result == 0)
        {
            return null;
        }

        try
        {
            return Marshal.PtrToStringUTF8(result);
        }
        finally
        {
            Free(result); // realpath(path, NULL) mallocs the result; the caller frees it.
        }
    }
}
