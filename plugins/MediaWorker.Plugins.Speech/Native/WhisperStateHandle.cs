using Microsoft.Win32.SafeHandles;

namespace MediaWorker.Plugins.Speech.Native;

/// <summary>
/// An owned <c>whisper_state*</c>: one job's decoding state on a shared model. It holds a reference
/// on its context, so the model cannot be freed while a state made from it is alive.
/// </summary>
internal sealed class WhisperStateHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    private readonly WhisperContextHandle _context;

    private WhisperStateHandle(WhisperContextHandle context, nint state)
        : base(ownsHandle: true)
    {
        _context = context;
        SetHandle(state);
    }

    /// <summary>Allocates a state for <paramref name="context"/>.</summary>
    /// <exception cref="WhisperException">whisper.cpp could not allocate it.</exception>
    public static WhisperStateHandle Create(WhisperContextHandle context)
    {
        var addedRef = false;
        context.DangerousAddRef(ref addedRef);
        try
        {
            var state = WhisperErrors.ThrowIfNull(WhisperNative.whisper_init_state(context), "whisper_init_state");
            addedRef = false; // owned by the new handle from here on
            return new WhisperStateHandle(context, state);
        }
        finally
        {
            if (addedRef)
            {
                context.DangerousRelease();
            }
        }
    }

    protected override bool ReleaseHandle()
    {
        WhisperNative.whisper_free_state(handle);
        _context.DangerousRelease();
        return true;
    }
}
