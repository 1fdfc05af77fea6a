using MediaWorker.Ffmpeg;
using MediaWorker.Ffmpeg.Running;

namespace MediaWorker.Plugins.Gemini.Tests.Support;

/// <summary>
/// Small real media made once per test run with ffmpeg's lavfi sources (through the shared ffmpeg
/// library), each with a known truth.
/// </summary>
public static class TestMedia
{
    /// <summary>The loud section of <see cref="LoudClip"/>: seconds 20 to 30 of 45.</summary>
    public const double LoudStart = 20, LoudEnd = 30, Duration = 45;

    private static readonly string Folder = Path.Combine(Path.GetTempPath(), "mw-gemini-media-" + Environment.ProcessId);
    private static readonly Lazy<Task<string>> Loud = new(() => MakeAsync("loud.mp4", true));
    private static readonly Lazy<Task<string>> LoudAudio = new(() => MakeAsync("loud.m4a", false));

    /// <summary>A 45 s video (test pattern, 160x120, 10 fps) whose 440 Hz tone is quiet (-37 dBFS) except from 20 s to 30 s (-4 dBFS).</summary>
    public static Task<string> LoudClip() => Loud.Value;

    /// <summary>The same sound without a picture.</summary>
    public static Task<string> LoudAudioClip() => LoudAudio.Value;

    /// <summary>Copies a clip into a rig's sandbox and returns its relative path.</summary>
    public static async Task<string> CopyIntoAsync(GeminiRig rig, Task<string> clip, string name)
    {
        var source = await clip;
        var target = rig.Temp.Combine("compute", name);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Copy(source, target, overwrite: true);
        return name;
    }

    private static async Task<string> MakeAsync(string name, bool video)
    {
        Directory.CreateDirectory(Folder);
        var path = Path.Combine(Folder, name);
        var tone = $"aevalsrc='if(between(t,{LoudStart},{LoudEnd}),0.9,0.02)*sin(2*PI*440*t)':s=44100:d={Duration}";
        List<string> arguments = video
            ? ["-f", "lavfi", "-i", $"testsrc2=s=160x120:r=10:d={Duration}", "-f", "lavfi", "-i", tone, "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", path]
            : ["-f", "lavfi", "-i", tone, "-c:a", "aac", path];
        await new FfmpegRunner(FfmpegToolPaths.Default).RunAsync(arguments, null, CancellationToken.None);
        return path;
    }
}
