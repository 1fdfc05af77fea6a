using System.Runtime.InteropServices;

namespace MediaWorker.Plugins.Speech.Transcription;

/// <summary>
/// Makes OpenMP's idle threads sleep instead of spin. whisper.cpp's CPU backend runs on libgomp,
/// whose workers by default keep spinning for a while after every parallel region; with
/// <c>OMP_WAIT_POLICY=passive</c> they block at once, so an idle worker with a model loaded stays
/// near 0 % CPU. libgomp reads the variable from the C environment when it is loaded, and .NET's
/// <see cref="Environment.SetEnvironmentVariable(string, string)"/> does not write that, hence setenv(3).
/// </summary>
internal static partial class OpenMpWaitPolicy
{
    public const string Variable = "OMP_WAIT_POLICY";

    /// <summary>Sets passive unless the operator chose a policy; must run before the native library loads.</summary>
    /// <returns>The policy now in force.</returns>
    public static string EnsurePassive()
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } chosen)
        {
            return chosen;
        }

        _ = SetEnvironment(Variable, "passive", overwrite: 0);
        Environment.SetEnvironmentVariable(Variable, "passive"); // child processes (ffmpeg) see the same
        return "passive";
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnvironment(string name, string value, int overwrite);
}
