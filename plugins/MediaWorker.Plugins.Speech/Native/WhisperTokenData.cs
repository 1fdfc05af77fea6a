using System.Runtime.InteropServices;

namespace MediaWorker.Plugins.Speech.Native;

#pragma warning disable SA1307, IDE1006 // Field names are whisper.h's.

/// <summary>
/// Mirror of <c>whisper_token_data</c> (56 bytes on x86-64), returned by value from
/// <c>whisper_full_get_token_data_from_state</c>. Times are in centiseconds of the input.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct whisper_token_data
{
    public int id;
    public int tid;

    public float p;
    public float plog;
    public float pt;
    public float ptsum;

    public long t0;
    public long t1;

    public long t_dtw;

    public float vlen;
}
