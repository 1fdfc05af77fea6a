using System.Runtime.InteropServices;

namespace MediaWorker.Plugins.Speech.Native;

#pragma warning disable SA1307, IDE1006 // Field names are whisper.h's.

/// <summary>
/// Mirror of <c>struct whisper_context_params</c> (48 bytes on x86-64), passed by value to
/// <c>whisper_init_from_file_with_params_no_state</c>. Start from
/// <c>whisper_context_default_params_by_ref</c>.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct whisper_context_params
{
    public CBool use_gpu;
    public CBool flash_attn;
    public int gpu_device;

    public CBool dtw_token_timestamps;
    public int dtw_aheads_preset;

    public int dtw_n_top;
    public whisper_aheads dtw_aheads;

    public nuint dtw_mem_size;
}

/// <summary>Mirror of <c>struct whisper_aheads</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct whisper_aheads
{
    public nuint n_heads;
    public nint heads;
}
