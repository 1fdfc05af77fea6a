using MediaWorker.Testing;
using MediaWorker.Tests.Support;

namespace MediaWorker.Tests.Pipelines.Support;

/// <summary>Videos the shipped-pipeline tests make at run time: ffmpeg's lavfi sources for the picture, a tone or espeak-ng's speech for the sound.</summary>
internal static class PipelineMedia
{
    /// <summary>Seconds of each scene of <see cref="SpeechVideoAsync"/>.</summary>
    public const int SceneSeconds = 4;

    /// <summary>A 7 s video: 4 s of test pattern, then 3 s of red (two scenes), with a 440 Hz tone.</summary>
    public static async Task<string> ToneVideoAsync(string directory)
    {
        var path = Path.Combine(directory, "talk.mp4");
        await ExternalTool.RunCheckedAsync("ffmpeg",
            "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25:duration=4", "-f", "lavfi", "-i", "color=c=red:size=320x240:rate=25:duration=3",
            "-f", "lavfi", "-i", "sine=frequency=440:duration=7", "-filter_complex", "[0:v][1:v]concat=n=2:v=1:a=0[v]", "-map", "[v]", "-map", "2:a",
            "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", path);
        return path;
    }

    /// <summary>
    /// A 12 s video of three scenes (test pattern, red, blue, <see cref="SceneSeconds"/> each) whose
    /// sound is a sentence spoken by espeak-ng, padded with silence to the picture's length.
    /// </summary>
    public static async Task<string> SpeechVideoAsync(string directory)
    {
        var speech = Path.Combine(directory, "speech.wav");
        await ExternalTool.RunCheckedAsync("espeak-ng", "-v", "en-us", "-s", "150", "-w", speech, "Hey media. This is the best part of the show, and here is another one.");
        var path = Path.Combine(directory, "show.mp4");
        var scene = $"size=320x240:rate=25:duration={SceneSeconds}";
        await ExternalTool.RunCheckedAsync("ffmpeg",
            "-v", "error", "-y", "-f", "lavfi", "-i", $"testsrc2={scene}", "-f", "lavfi", "-i", $"color=c=red:{scene}", "-f", "lavfi", "-i", $"color=c=blue:{scene}",
            "-i", speech, "-filter_complex", "[0:v][1:v][2:v]concat=n=3:v=1:a=0[v];[3:a]aresample=44100,apad[a]", "-map", "[v]", "-map", "[a]",
            "-t", (3 * SceneSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture), "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", path);
        return path;
    }
}
