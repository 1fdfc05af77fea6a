using Microsoft.Win32.SafeHandles;

namespace MediaWorker.Plugins.Speech.Native;

/// <summary>An owned <c>whisper_context*</c> (the loaded model); freed with <c>whisper_free</c>.</summary>
internal sealed class WhisperContextHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public WhisperContextHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle()
    {
        WhisperNative.whisper_free(handle);
        return true;
    }
}
