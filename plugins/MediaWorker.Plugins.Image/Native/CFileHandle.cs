using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace MediaWorker.Plugins.Image.Native;

/// <summary>
/// An owned C <c>FILE*</c> over a duplicate of a descriptor the plugin opened. Releasing it closes the
/// stream; <see cref="CloseChecked"/> closes it and reports a failed final flush (a full disk).
/// </summary>
internal sealed class CFileHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public CFileHandle()
        : base(ownsHandle: true)
    {
    }

    /// <summary>Opens a stream over a duplicate of <paramref name="file"/>'s descriptor, at offset 0.</summary>
    /// <param name="file">The open file; it stays open and owned by the caller.</param>
    /// <param name="mode">The <c>fdopen</c> mode: <c>rb</c> or <c>wb</c>.</param>
    public static CFileHandle Open(SafeFileHandle file, string mode)
    {
        var fd = LibC.Dup(checked((int)file.DangerousGetHandle()));
        if (fd < 0)
        {
            throw new IOException($"dup() failed: {Marshal.GetLastPInvokeErrorMessage()}");
        }

        var stream = LibC.FDOpen(fd, mode);
        if (stream.IsInvalid)
        {
            var error = Marshal.GetLastPInvokeErrorMessage();
            LibC.Close(fd);
            throw new IOException($"fdopen() failed: {error}");
        }

        // The duplicate shares the file offset with the original, which the format sniffer's reads may not
        // have left at 0 (.NET reads positionally, but be certain).
        if (LibC.FSeek(stream, 0, LibC.SeekSet) != 0)
        {
            var error = Marshal.GetLastPInvokeErrorMessage();
            stream.Dispose();
            throw new IOException($"fseek() failed: {error}");
        }

        return stream;
    }

    /// <summary>Flushes and closes the stream, throwing when buffered data could not be written.</summary>
    public void CloseChecked()
    {
        var flushed = LibC.FFlush(this);
        var flushError = flushed == 0 ? null : Marshal.GetLastPInvokeErrorMessage();
        var closed = LibC.FClose(handle);
        var closeError = closed == 0 ? null : Marshal.GetLastPInvokeErrorMessage();
        SetHandleAsInvalid();
        if (flushError is not null || closeError is not null)
        {
            throw new IOException($"Writing the output file failed: {flushError ?? closeError}.");
        }
    }

    protected override bool ReleaseHandle() => LibC.FClose(handle) == 0;
}
