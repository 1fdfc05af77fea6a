using System.Globalization;
using System.Text.Json.Nodes;
using MediaWorker.Ffmpeg.Inputs;
using MediaWorker.Ffmpeg.Probing;
using MediaWorker.Ffmpeg.Running;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.Video.Common;

namespace MediaWorker.Plugins.Video.Tasks;

/// <summary><c>transcode</c>: re-encodes (or copies) the primary video and audio into mp4, webm or mkv, optionally scaled down.</summary>
internal sealed class TranscodeHandler(VideoServices services) : VideoTaskHandler(services)
{
    private const string BitratePattern = "^[1-9][0-9]{0,5}(\\.[0-9]+)?[kM]?$";

    public override TaskDescriptor Descriptor { get; } = new()
    {
        TaskType = "transcode",
        Description = "Transcodes a video to mp4, webm or mkv with h264, vp9 or stream copy and aac, opus or copy; constant quality (crf) or bit rate; optional maximum size keeping the aspect ratio.",
        ParameterSchema = ParameterSchema.Object(
        [
            ParameterSchema.InputPath(),
            ("container", ParameterSchema.Enum("The output container.", TranscodeSettings.Containers, "mp4")),
            ("video_codec", new JsonObject { ["type"] = "string", ["enum"] = new JsonArray([.. TranscodeSettings.VideoCodecs.Select(c => JsonValue.Create(c))]), ["description"] = "h264, vp9, or copy (no re-encoding); default h264, vp9 for webm." }),
            ("audio_codec", new JsonObject { ["type"] = "string", ["enum"] = new JsonArray([.. TranscodeSettings.AudioCodecs.Select(c => JsonValue.Create(c))]), ["description"] = "aac, opus, or copy; default aac, opus for webm." }),
            ("crf", ParameterSchema.Integer("Constant quality: lower is better and larger (h264 0-51, default 23; vp9 0-63, default 32).", 0, 63)),
            ("video_bitrate", ParameterSchema.Pattern("Average video bit rate instead of crf, e.g. 2500k or 5M.", BitratePattern)),
            ("audio_bitrate", ParameterSchema.Pattern("Audio bit rate, e.g. 128k (default 128k for aac, 96k for opus).", BitratePattern)),
            ("max_width", ParameterSchema.Integer("Scale down to at most this width, keeping the aspect ratio (never up).", 16, 7680)),
            ("max_height", ParameterSchema.Integer("Scale down to at most this height, keeping the aspect ratio (never up).", 16, 4320)),
            ("preset", ParameterSchema.Enum("Speed against compression (x264 presets; mapped to libvpx-vp9 cpu-used for vp9).", TranscodeSettings.Presets, "medium")),
            ("output_path", ParameterSchema.String("Where to write the file (sandboxed), ending in .mp4, .webm or .mkv as the container; default: <input name>.<container> in the job's output folder.")),
        ],
        "input_path"),
        DefaultTimeout = TimeSpan.FromHours(4),
    };

    protected override async Task<JsonObject> RunAsync(VideoJob job, CancellationToken cancellationToken)
    {
        var source = await Services.Ffprobe.ProbeAsync(job.Input, cancellationToken);
        var (_, duration) = MediaRequirements.RequireVideo(source, job.Input);
        var settings = TranscodeSettings.Read(job.Parameters, source);
        var destination = job.OutputFile(job.InputStem + settings.Extension);
        if (!Path.GetExtension(destination).Equals(settings.Extension, StringComparison.OrdinalIgnoreCase))
        {
            throw JobParameters.Invalid("output_path", $"must end with {settings.Extension} for container {settings.Container} (got '{Path.GetFileName(destination)}')");
        }

        var scratch = Path.Combine(job.NewScratchFolder("transcode"), "output" + settings.Extension);
        var arguments = Arguments(job.Input, settings, source.HasAudio, scratch);
        var run = await Services.Ffmpeg.RunAsync(arguments, new FfmpegRunOptions { Duration = duration, Progress = job.Context.Progress }, cancellationToken);
        job.Context.Logger.LogFfmpegCommand(run.CommandLine, run.Elapsed);

        var written = await Services.Ffprobe.ProbeAsync(MediaInput.FromFile(scratch), cancellationToken);
        OutputCommitter.CommitFile(scratch, destination);
        return new JsonObject
        {
            ["path"] = destination,
            ["container"] = settings.Container,
            ["video_codec"] = written.PrimaryVideo?.CodecName,
            ["audio_codec"] = written.PrimaryAudio?.CodecName,
            ["width"] = written.PrimaryVideo?.DisplayWidth,
            ["height"] = written.PrimaryVideo?.DisplayHeight,
            ["duration"] = written.Duration is { } d ? JsonOutput.Seconds(d) : null,
            ["bit_rate"] = written.BitRate,
            ["size"] = new FileInfo(destination).Length,
            ["files"] = JsonOutput.Files([destination]),
        };
    }

    private List<string> Arguments(MediaInput input, TranscodeSettings s, bool hasAudio, string output)
    {
        List<string> arguments = [.. input.Arguments(), "-map", "0:v:0", "-map", "0:a:0?", "-sn", "-dn", "-map_metadata", "0"];
        arguments.AddRange(s.VideoCodec switch
        {
            "copy" => ["-c:v", "copy"],
            "vp9" => ["-c:v", "libvpx-vp9", "-deadline", "good", "-cpu-used", s.Vp9CpuUsed, "-row-mt", "1", "-pix_fmt", "yuv420p"],
            _ => ["-c:v", "libx264", "-preset", s.Preset, "-pix_fmt", "yuv420p"],
        });
        if (s.VideoCodec != "copy")
        {
            arguments.AddRange(s.VideoBitrate is { } rate
                ? ["-b:v", rate]
                : ["-crf", FfmpegArguments.Integer(s.Crf ?? (s.VideoCodec == "vp9" ? 32 : 23)), .. s.VideoCodec == "vp9" ? new[] { "-b:v", "0" } : []]);
            arguments.AddRange(["-threads", FfmpegArguments.Integer(Services.ThreadsPerJob)]);
            if (s.MaxWidth is not null || s.MaxHeight is not null)
            {
                var w = s.MaxWidth is { } mw ? string.Create(CultureInfo.InvariantCulture, $"'min(iw,{mw})'") : "iw";
                var h = s.MaxHeight is { } mh ? string.Create(CultureInfo.InvariantCulture, $"'min(ih,{mh})'") : "ih";
                arguments.AddRange(["-vf", $"scale=w={w}:h={h}:force_original_aspect_ratio=decrease:force_divisible_by=2"]);
            }
        }

        if (hasAudio)
        {
            arguments.AddRange(s.AudioCodec switch
            {
                "copy" => ["-c:a", "copy"],
                "opus" => ["-c:a", "libopus", "-b:a", s.AudioBitrate ?? "96k"],
                _ => ["-c:a", "aac", "-b:a", s.AudioBitrate ?? "128k"],
            });
        }

        if (s.Container == "mp4")
        {
            arguments.AddRange(["-movflags", "+faststart"]);
        }

        arguments.AddRange(["-f", s.Container == "mkv" ? "matroska" : s.Container, output]);
        return arguments;
    }
}
