using System.Globalization;
using MediaWorker.Ffmpeg;
using MediaWorker.Ffmpeg.Running;

namespace MediaWorker.Ffmpeg.Tests.Support;

/// <summary>
/// Short, small clips made with ffmpeg's lavfi sources, each with a known truth: durations, frame
/// rates, the exact times of hard cuts, rotation. Shared (as a linked file) by the Video plugin tests.
/// </summary>
public sealed class TestClips
{
    /// <summary>The hard cuts of <see cref="Scenes"/>, in seconds: red 0-1, blue 1-2, green 2-3.6, white 3.6-5 (whole frames at 25 fps).</summary>
    public static readonly double[] SceneCutSeconds = [1.0, 2.0, 3.6];

    /// <summary>The length of <see cref="Scenes"/>.</summary>
    public const double ScenesSeconds = 5.0;

    /// <summary>The length of <see cref="Main"/>.</summary>
    public const double MainSeconds = 4.0;

    private TestClips(string directory)
    {
        Directory = directory;
    }

    public string Directory { get; }

    /// <summary>testsrc2 320x240 at 25 fps with a 440 Hz sine (stereo, 44.1 kHz), 4 s, H.264 + AAC, a keyframe every second.</summary>
    public string Main => Path.Combine(Directory, "main.mp4");

    /// <summary>Colour scenes with hard cuts at <see cref="SceneCutSeconds"/>, 320x240 at 25 fps with a tone, 5 s; keyframe every 0.5 s.</summary>
    public string Scenes => Path.Combine(Directory, "scenes.mp4");

    /// <summary>A phone-style portrait clip: 320x240 frames with a display matrix turning them upright (to 240x320), 2 s.</summary>
    public string Rotated => Path.Combine(Directory, "rotated.mp4");

    /// <summary>Audio only: a 1 s 440 Hz sine, 48 kHz stereo, AAC in an M4A.</summary>
    public string AudioOnly => Path.Combine(Directory, "tone.m4a");

    /// <summary>Video only (no audio stream): testsrc2 320x240 at 25 fps, 1 s.</summary>
    public string VideoOnly => Path.Combine(Directory, "silent.mp4");

    /// <summary>The first 3000 bytes of <see cref="Main"/>: an MP4 whose moov atom is missing.</summary>
    public string Truncated => Path.Combine(Directory, "truncated.mp4");

    /// <summary>A text file: not media at all.</summary>
    public string NotMedia => Path.Combine(Directory, "notes.txt");

    /// <summary>Makes every clip in <paramref name="directory"/> (about a second on two cores).</summary>
    public static async Task<TestClips> CreateAsync(string directory, CancellationToken cancellationToken = default)
    {
        var clips = new TestClips(directory);
        var ffmpeg = new FfmpegRunner(FfmpegToolPaths.Default);
        await Task.WhenAll(
            ffmpeg.RunAsync(
                [
                    "-f", "lavfi", "-i", $"testsrc2=s=320x240:r=25:d={MainSeconds}",
                    "-f", "lavfi", "-i", $"sine=f=440:sample_rate=44100:d={MainSeconds}",
                    "-ac", "2", "-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-keyint_min", "25", "-sc_threshold", "0",
                    "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", clips.Main,
                ],
                null,
                cancellationToken),
            ffmpeg.RunAsync(ScenesArguments(clips.Scenes), null, cancellationToken),
            ffmpeg.RunAsync(
                ["-f", "lavfi", "-i", "testsrc2=s=320x240:r=25:d=1", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", clips.VideoOnly],
                null,
                cancellationToken),
            ffmpeg.RunAsync(
                ["-f", "lavfi", "-i", "sine=f=440:sample_rate=48000:d=1", "-ac", "2", "-c:a", "aac", clips.AudioOnly],
                null,
                cancellationToken));

        // ffmpeg 5.1 writes a "rotate" tag given at stream copy as a display matrix.
        await ffmpeg.RunAsync(["-i", clips.Main, "-t", "2", "-c", "copy", "-metadata:s:v:0", "rotate=90", clips.Rotated], null, cancellationToken);
        var head = new byte[3000];
        await using (var main = File.OpenRead(clips.Main))
        {
            await main.ReadExactlyAsync(head, cancellationToken);
        }

        await File.WriteAllBytesAsync(clips.Truncated, head, cancellationToken);
        await File.WriteAllTextAsync(clips.NotMedia, "These are meeting notes, not a video.\n", cancellationToken);
        return clips;
    }

    private static List<string> ScenesArguments(string output)
    {
        string[] colours = ["red", "blue", "green", "white"];
        var bounds = new[] { 0.0 }.Concat(SceneCutSeconds).Append(ScenesSeconds).ToArray();
        var arguments = new List<string>();
        for (var i = 0; i < colours.Length; i++)
        {
            var length = (bounds[i + 1] - bounds[i]).ToString(CultureInfo.InvariantCulture);
            arguments.AddRange(["-f", "lavfi", "-i", $"color=c={colours[i]}:s=320x240:r=25:d={length}"]);
        }

        arguments.AddRange(["-f", "lavfi", "-i", $"sine=f=660:d={ScenesSeconds.ToString(CultureInfo.InvariantCulture)}"]);
        arguments.AddRange(
        [
            "-filter_complex", "[0:v][1:v][2:v][3:v]concat=n=4:v=1:a=0[v]", "-map", "[v]", "-map", "4:a",
            "-c:v", "libx264", "-preset", "ultrafast", "-g", "12", "-pix_fmt", "yuv420p", "-c:a", "aac", output,
        ]);
        return arguments;
    }
}
