using System.Runtime.InteropServices;

namespace MediaWorker.Plugins.Image.Native;

/// <summary>
/// The few MagickCore functions the wand API lacks: reading the exceptions that coders record on the
/// image itself (IM6's <c>ThrowBinaryException</c> writes to <c>image-&gt;exception</c>, so a truncated
/// JPEG's "Premature end of JPEG file" never reaches the wand).
/// </summary>
internal static partial class MagickCoreApi
{
    [LibraryImport(MagickLibraries.Core)]
    public static partial ExceptionInfoHandle AcquireExceptionInfo();

    [LibraryImport(MagickLibraries.Core)]
    public static partial IntPtr DestroyExceptionInfo(IntPtr exception);

    /// <summary>Moves the most severe exception of every image in the list into <paramref name="exception"/>.</summary>
    [LibraryImport(MagickLibraries.Core)]
    public static partial void GetImageException(IntPtr image, ExceptionInfoHandle exception);
}

/// <summary>
/// The head of MagickCore's <c>struct _ExceptionInfo</c> (magick/exception.h), read after
/// <see cref="MagickCoreApi.GetImageException"/>. Its strings belong to the ExceptionInfo: they are
/// freed by <c>DestroyExceptionInfo</c>, never by this binding.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct ExceptionInfoHead
{
    public ExceptionType Severity;
    public int ErrorNumber;
    public IntPtr Reason;
    public IntPtr Description;
    public IntPtr Exceptions;
    public int Relinquish;
    public IntPtr Semaphore;
    public nuint Signature;
}
