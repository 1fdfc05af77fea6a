using System.Globalization;
using System.Text.Json.Nodes;
using MediaWorker.Ffmpeg.Probing;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.Video.Common;
using MediaWorker.Plugins.Video.Imaging;

namespace MediaWorker.Plugins.Video.Tasks;

/// <summary>
/// <c>keyframes</c>: representative frames as images. Candidates are the video's keyframes
/// (I-frames), one frame every <c>interval_seconds</c>, or the first frame of every scene; when
/// there are more than <c>max_frames</c>, the smart selection keeps the first and the last and
/// spreads the rest evenly in time.
/// </summary>
internal sealed class KeyframesHandler(VideoServices services) : VideoTaskHandler(services)
{
    private static readonly string[] Modes = ["keyframes", "interval", "scenes"];
    private static readonly string[] Formats = ["jpg", "png"];

    public override TaskDescriptor Descriptor { get; } = new()
    {
        TaskType = "keyframes",
        Description = "Extracts representative frames as images: the video's keyframes, one every interval_seconds, or one per scene; max_frames keeps the first and last and spreads the rest evenly in time.",
        ParameterSchema = ParameterSchema.Object(
        [
            ParameterSchema.InputPath(),
            ("mode", ParameterSchema.Enum("keyframes: the I-frames (fast, no decoding between them); interval: one frame every interval_seconds; scenes: the first frame of every scene.", Modes, "keyframes")),
            ("interval_seconds", ParameterSchema.Number("Mode interval only: seconds between frames.", 0, 86_400, 1, exclusiveMinimum: true)),
            ("scene_threshold", ParameterSchema.Number("Mode scenes only: how different consecutive frames must be to count as a cut (0-1).", 0, 1, 0.3)),
            ("max_frames", ParameterSchema.Integer("The most frames to write; more candidates are thinned by the smart selection.", 1, 1000, 20)),
            ("format", ParameterSchema.Enum("Image format.", Formats, "jpg")),
            ("max_width", ParameterSchema.Integer("Scale frames down to at most this width, keeping the aspect ratio.", 16, 7680)),
            ("output_dir", ParameterSchema.String("Folder for the images (sandboxed); default: the job's output folder.")),
        ],
        "input_path"),
        DefaultTimeout = TimeSpan.FromMinutes(30),
    };

    protected override async Task<JsonObject> RunAsync(VideoJob job, CancellationToken cancellationToken)
    {
        var p = job.Parameters;
        var mode = p.Choice("mode", "keyframes", Modes);
        var format = p.Choice("format", "jpg", Formats);
        var maxFrames = p.IntegerInRange("max_frames", 20, 1, 1000);
        var interval = p.OptionalNumberInRange("interval_seconds", 0, 86_400, exclusiveMinimum: true);
        var threshold = p.OptionalNumberInRange("scene_threshold", 0, 1);
        if (interval is not null && mode != "interval")
        {
            throw JobParameters.Invalid("interval_seconds", $"applies only to mode 'interval' (mode is '{mode}')");
        }

        if (threshold is not null && mode != "scenes")
        {
            throw JobParameters.Invalid("scene_threshold", $"applies only to mode 'scenes' (mode is '{mode}')");
        }

        var maxWidth = p.OptionalInteger("max_width");
        var destination = job.OutputFolder();
        var info = await Services.Ffprobe.ProbeAsync(job.Input, cancellationToken);
        var (video, containerDuration) = MediaRequirements.RequireVideo(info, job.Input);
        var duration = video.Duration is { } d && d > TimeSpan.Zero ? d : containerDuration;

        var listing = new ScaledProgress(job.Context.Progress, 0, 30);
        List<TimeSpan> candidates = mode switch
        {
            "keyframes" => FromInputStart(await Services.Ffprobe.ReadKeyframeTimesAsync(job.Input, cancellationToken), info.StartTime),
            "interval" => IntervalTimes(duration, interval ?? 1),
            _ => [.. (await Services.Scenes.DetectAsync(job.Input, threshold ?? 0.3, 0, listing, cancellationToken)).Select(s => s.Start)],
        };
        if (candidates.Count == 0)
        {
            throw new PermanentJobException($"'{job.Input}' has no keyframes in its video stream; use mode 'interval'.");
        }

        var selected = FrameSelection.SelectEvenly(candidates, maxFrames).Select(i => candidates[i]).ToList();
        var scratch = job.NewScratchFolder("keyframes");
        var extractor = new FrameExtractor(Services.Ffmpeg);
        var extracting = new ScaledProgress(job.Context.Progress, 30, 99);
        IReadOnlyList<(TimeSpan Time, string Path)> written;
        if (mode == "keyframes" && selected.Count * 4 >= candidates.Count)
        {
            // Most keyframes are wanted: one pass that decodes only keyframes beats a seek per frame.
            written = await extractor.ExtractKeyframesAsync(
                job.Input, selected, info.StartTime ?? TimeSpan.Zero, duration, scratch, format, maxWidth, extracting, cancellationToken);
        }
        else
        {
            var paths = await extractor.ExtractAsync(
                job.Input, selected, scratch, i => string.Create(CultureInfo.InvariantCulture, $"frame_{i + 1:D4}.{format}"), maxWidth, extracting, cancellationToken);
            written = [.. selected.Zip(paths).Where(f => f.Second is not null).Select(f => (f.First, f.Second!))];
        }

        foreach (var missing in selected.Except(written.Select(w => w.Time)))
        {
            job.Context.Logger.LogSkippedFrame(missing);
        }

        var frames = new JsonArray();
        var files = new List<string>();
        foreach (var (time, scratchPath) in written)
        {
            var (width, height) = ImageDimensions.Read(scratchPath);
            var path = Path.Combine(destination, Path.GetFileName(scratchPath));
            OutputCommitter.CommitFile(scratchPath, path);
            files.Add(path);
            frames.Add(new JsonObject
            {
                ["index"] = frames.Count,
                ["time"] = JsonOutput.Seconds(time),
                ["path"] = path,
                ["width"] = width,
                ["height"] = height,
            });
        }

        job.Context.Progress.Report(100);
        return new JsonObject
        {
            ["mode"] = mode,
            ["duration"] = JsonOutput.Seconds(duration),
            ["candidates"] = candidates.Count,
            ["frame_count"] = frames.Count,
            ["frames"] = frames,
            ["output_dir"] = destination,
            ["files"] = JsonOutput.Files(files),
        };
    }

    // ffprobe's packet times count from the container's own zero; ffmpeg's seeks and filters count
    // from the input's start time, and so do the times this task reports.
    private static List<TimeSpan> FromInputStart(IReadOnlyList<TimeSpan> packetTimes, TimeSpan? startTime) =>
        [.. packetTimes.Select(t => t - (startTime ?? TimeSpan.Zero)).Select(t => t < TimeSpan.Zero ? TimeSpan.Zero : t)];

    private static List<TimeSpan> IntervalTimes(TimeSpan duration, double intervalSeconds)
    {
        var times = new List<TimeSpan>();
        for (var k = 0L; k * intervalSeconds < duration.TotalSeconds; k++)
        {
            times.Add(TimeSpan.FromSeconds(k * intervalSeconds));
        }

        return times;
    }
}
