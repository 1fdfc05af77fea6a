using Microsoft.Win32.SafeHandles;

namespace MediaWorker.Plugins.Image.Native;

/// <summary>An owned <c>PixelWand*</c> (a colour), destroyed when released.</summary>
internal sealed class PixelWandHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public PixelWandHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle()
    {
        MagickWandApi.DestroyPixelWand(handle);
        return true;
    }
}
