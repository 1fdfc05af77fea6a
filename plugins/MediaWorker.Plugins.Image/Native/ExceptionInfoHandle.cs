using Microsoft.Win32.SafeHandles;

namespace MediaWorker.Plugins.Image.Native;

/// <summary>An owned MagickCore <c>ExceptionInfo*</c>, destroyed (with its strings) when released.</summary>
internal sealed class ExceptionInfoHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public ExceptionInfoHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle()
    {
        MagickCoreApi.DestroyExceptionInfo(handle);
        return true;
    }
}
