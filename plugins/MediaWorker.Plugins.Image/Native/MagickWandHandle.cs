using Microsoft.Win32.SafeHandles;

namespace MediaWorker.Plugins.Image.Native;

/// <summary>An owned <c>MagickWand*</c>: destroyed (with its images) when released.</summary>
internal sealed class MagickWandHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public MagickWandHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle()
    {
        MagickWandApi.DestroyMagickWand(handle);
        return true;
    }
}
