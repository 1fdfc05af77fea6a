using System.Runtime.InteropServices;

namespace MediaWorker.Plugins.Image.Native;

/// <summary>
/// The C stdio calls that turn a file descriptor the plugin opened into the <c>FILE*</c> ImageMagick
/// reads or writes, so no path string ever reaches ImageMagick's filename parser.
/// </summary>
internal static partial class LibC
{
    public const int SeekSet = 0;

    [LibraryImport(MagickLibraries.C, EntryPoint = "dup", SetLastError = true)]
    public static partial int Dup(int fd);

    [LibraryImport(MagickLibraries.C, EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport(MagickLibraries.C, EntryPoint = "fdopen", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial CFileHandle FDOpen(int fd, string mode);

    [LibraryImport(MagickLibraries.C, EntryPoint = "fseek", SetLastError = true)]
    public static partial int FSeek(CFileHandle file, nint offset, int whence);

    [LibraryImport(MagickLibraries.C, EntryPoint = "fflush", SetLastError = true)]
    public static partial int FFlush(CFileHandle file);

    [LibraryImport(MagickLibraries.C, EntryPoint = "fclose", SetLastError = true)]
    public static partial int FClose(IntPtr file);
}
