using System.Runtime.InteropServices;

namespace MediaWorker.Ffmpeg.Native;

/// <summary>The few libc calls .NET does not expose: signalling a whole process group.</summary>
internal static partial class LibC
{
    /// <summary>SIGKILL: cannot be caught, so a stuck ffmpeg dies at once.</summary>
    public const int SigKill = 9;

    /// <summary>SIGINT: what Ctrl-C sends; ffmpeg finishes its outputs and exits.</summary>
    public const int SigInt = 2;

    /// <summary>kill(2); a negative <paramref name="pid"/> signals the process group <c>-pid</c>.</summary>
    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);
}
