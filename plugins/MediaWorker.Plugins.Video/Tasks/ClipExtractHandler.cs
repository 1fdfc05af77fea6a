using System.Globalization;
using System.Text.Json.Nodes;
using MediaWorker.Ffmpeg.Inputs;
using MediaWorker.Ffmpeg.Running;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.Video.Common;

namespace MediaWorker.Plugins.Video.Tasks;

/// <summary>
/// <c>clip_extract</c>: the part of a video (or audio) between <c>start</c> and <c>end</c>. Re-encoding
/// (the default) cuts on the exact frames; stream copy is fast but can only start at a keyframe.
/// <c>input_path</c>, <c>start</c> and <c>end</c> alone are a complete request, so other tasks can
/// enqueue clips as follow-ups.
/// </summary>
internal sealed class ClipExtractHandler(VideoServices services) : VideoTaskHandler(services)
{
    private static readonly string[] Extensions = [".mp4", ".mov", ".mkv", ".webm"];

    /// <summary>Half a millisecond: below any frame interval, above the rounding of printed times.</summary>
    private static readonly TimeSpan KeyframeSlack = TimeSpan.FromTicks(5_000);

    public override TaskDescriptor Descriptor { get; } = new()
    {
        TaskType = "clip_extract",
        Description = "Cuts the part between start and end (seconds) out of a video or audio file; re-encoded for frame-accurate cuts (default) or stream-copied (fast, starts at a keyframe).",
        ParameterSchema = ParameterSchema.Object(
        [
            ParameterSchema.InputPath(),
            ("start", ParameterSchema.Number("Where the clip starts, in seconds.", 0)),
            ("end", ParameterSchema.Number("Where the clip ends, in seconds (after start; past the end means the end).", 0, exclusiveMinimum: true)),
            ("reencode", ParameterSchema.Boolean("true: re-encode (h264/aac, vp9/opus for .webm) for cuts on the exact frames; false: copy the streams (fast, lossless, but the clip starts at the keyframe at or before start).", true)),
            ("output_path", ParameterSchema.String("Where to write the clip (sandboxed), ending in .mp4, .mov, .mkv or .webm; default: <input name>_<start>-<end>.mp4 in the job's output folder.")),
        ],
        "input_path",
        "start",
        "end"),
        DefaultTimeout = TimeSpan.FromHours(1),
    };

    protected override async Task<JsonObject> RunAsync(VideoJob job, CancellationToken cancellationToken)
    {
        var p = job.Parameters;
        if (!p.Has("start") || !p.Has("end"))
        {
            throw new PermanentJobException("Parameters 'start' and 'end' (seconds) are required.");
        }

        var reencode = p.Boolean("reencode", true);
        var source = await Services.Ffprobe.ProbeAsync(job.Input, cancellationToken);
        if (!source.HasVideo && !source.HasAudio)
        {
            throw new PermanentJobException($"'{job.Input}' has neither video nor audio to cut a clip from.");
        }

        var duration = source.Duration ?? source.PrimaryVideo?.Duration ?? source.PrimaryAudio?.Duration
            ?? throw new PermanentJobException($"'{job.Input}' has no known duration (a live stream cannot be clipped by end time).");
        var range = TimeRange.Read(p, duration);
        var name = string.Create(CultureInfo.InvariantCulture, $"{job.InputStem}_{range.Start.TotalSeconds:0.###}-{range.End.TotalSeconds:0.###}.mp4");
        var destination = job.OutputFile(name);
        var extension = Path.GetExtension(destination).ToLowerInvariant();
        if (!Extensions.Contains(extension))
        {
            throw JobParameters.Invalid("output_path", $"must end with {string.Join(", ", Extensions)} (got '{Path.GetFileName(destination)}')");
        }

        var scratch = Path.Combine(job.NewScratchFolder("clip"), "clip" + extension);
        var cut = reencode ? range : await KeyframeCutAsync(job, range, source.StartTime, cancellationToken);
        var arguments = reencode ? ReencodeArguments(job.Input, cut, extension, source.HasVideo, source.HasAudio) : CopyArguments(job.Input, cut);
        arguments.AddRange(["-threads", FfmpegArguments.Integer(Services.ThreadsPerJob)]);
        if (extension is ".mp4" or ".mov")
        {
            arguments.AddRange(["-movflags", "+faststart"]);
        }

        arguments.Add(scratch);
        var run = await Services.Ffmpeg.RunAsync(arguments, new FfmpegRunOptions { Duration = cut.Length, Progress = job.Context.Progress }, cancellationToken);
        job.Context.Logger.LogFfmpegCommand(run.CommandLine, run.Elapsed);

        var written = await Services.Ffprobe.ProbeAsync(MediaInput.FromFile(scratch), cancellationToken);
        OutputCommitter.CommitFile(scratch, destination);

        // A stream copy starts on the keyframe and ends where its last packet does: report those.
        var end = reencode || written.Duration is not { } length ? cut.End : cut.Start + length;
        return new JsonObject
        {
            ["path"] = destination,
            ["start"] = JsonOutput.Seconds(cut.Start),
            ["end"] = JsonOutput.Seconds(end),
            ["duration"] = written.Duration is { } d ? JsonOutput.Seconds(d) : null,
            ["reencoded"] = reencode,
            ["video_codec"] = written.PrimaryVideo?.CodecName,
            ["audio_codec"] = written.PrimaryAudio?.CodecName,
            ["size"] = new FileInfo(destination).Length,
            ["files"] = JsonOutput.Files([destination]),
        };
    }

    /// <summary>
    /// The range a stream copy really covers: it can only start on a keyframe, so it starts on the
    /// last one at or before <c>start</c> (found from the packets, then seeked to exactly).
    /// </summary>
    private async Task<TimeRange> KeyframeCutAsync(VideoJob job, TimeRange range, TimeSpan? inputStart, CancellationToken cancellationToken)
    {
        var keyframes = await Services.Ffprobe.ReadKeyframeTimesAsync(job.Input, cancellationToken);
        if (keyframes.Count == 0)
        {
            return range; // Audio only: every packet is a start.
        }

        var origin = inputStart ?? TimeSpan.Zero;
        var keyframe = keyframes.Select(k => k - origin).LastOrDefault(k => k <= range.Start + KeyframeSlack, TimeSpan.Zero);
        return range with { Start = keyframe < TimeSpan.Zero ? TimeSpan.Zero : keyframe };
    }

    private static List<string> CopyArguments(MediaInput input, TimeRange cut) =>
    [
        // The seek lands a hair after the keyframe, so rounding cannot send it back to the one before.
        .. input.Arguments("-ss", FfmpegArguments.Seconds(cut.Start + KeyframeSlack)),
        "-t", FfmpegArguments.Seconds(cut.Length),
        "-map", "0:v:0?", "-map", "0:a:0?", "-sn", "-dn", "-map_metadata", "0",
        "-c", "copy", "-avoid_negative_ts", "make_zero",
    ];

    /// <summary>
    /// Re-encodes exactly the source frames in [start, end): the seek drops the frames before start,
    /// trim drops those at and after end, and the timestamps restart at the first kept frame, so a
    /// start between two frames neither repeats the next frame nor pads the gap.
    /// </summary>
    private static List<string> ReencodeArguments(MediaInput input, TimeRange cut, string extension, bool hasVideo, bool hasAudio)
    {
        var length = FfmpegArguments.Seconds(cut.Length);

        // Read one second past the end so trim, not the demuxer, decides the last frame.
        List<string> arguments = [.. input.Arguments("-ss", FfmpegArguments.Seconds(cut.Start), "-t", FfmpegArguments.Seconds(cut.Length + TimeSpan.FromSeconds(1)))];
        if (hasVideo)
        {
            arguments.AddRange(["-map", "0:v:0", "-vf", $"trim=start=0:end={length},setpts=PTS-STARTPTS", "-fps_mode", "passthrough"]);
        }

        if (hasAudio)
        {
            arguments.AddRange(["-map", "0:a:0", "-af", $"atrim=start=0:end={length},asetpts=PTS-STARTPTS"]);
        }

        arguments.AddRange(["-sn", "-dn", "-map_metadata", "0"]);
        arguments.AddRange(extension == ".webm"
            ? ["-c:v", "libvpx-vp9", "-crf", "30", "-b:v", "0", "-deadline", "good", "-cpu-used", "4", "-row-mt", "1", "-c:a", "libopus", "-b:a", "128k"]
            : ["-c:v", "libx264", "-preset", "veryfast", "-crf", "18", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "160k"]);
        return arguments;
    }
}
