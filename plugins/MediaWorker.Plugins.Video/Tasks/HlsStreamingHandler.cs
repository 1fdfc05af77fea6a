using System.Globalization;
using System.Text.Json.Nodes;
using MediaWorker.Ffmpeg.Probing;
using MediaWorker.Ffmpeg.Running;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.Video.Common;

namespace MediaWorker.Plugins.Video.Tasks;

/// <summary>
/// <c>hls_streaming</c>: an adaptive HLS ladder in one ffmpeg pass: a master playlist and, per
/// variant, a playlist with even segments (a keyframe is forced at every segment boundary).
/// </summary>
internal sealed class HlsStreamingHandler(VideoServices services) : VideoTaskHandler(services)
{
    private const string MasterPlaylist = "master.m3u8";
    private const string VariantPlaylist = "index.m3u8";

    public override TaskDescriptor Descriptor { get; } = new()
    {
        TaskType = "hls_streaming",
        Description = "Packages a video for HLS: one rendition per variant (default 720p/3500k, 480p/1500k, 240p/800k; never upscaled), even segments, a master playlist and one playlist per variant.",
        ParameterSchema = ParameterSchema.Object(
        [
            ParameterSchema.InputPath(),
            ("variants", ParameterSchema.Array(
                "The renditions; the resolution is the short side (720p of a portrait video is 720 wide). Tiers taller than the source are skipped.",
                ParameterSchema.Object(
                [
                    ("resolution", ParameterSchema.Pattern("e.g. 720p", "^[1-9][0-9]{1,3}p$")),
                    ("bitrate", ParameterSchema.Pattern("Video bit rate, e.g. 3500k or 3.5M", "^[1-9][0-9]{0,5}(\\.[0-9]+)?[kM]$")),
                ],
                "resolution",
                "bitrate"),
                1,
                8)),
            ("include_original", ParameterSchema.Boolean("Add a rendition at the source's own size and bit rate.", false)),
            ("segment_seconds", ParameterSchema.Integer("Segment length in seconds; every segment but the last has exactly this length.", 1, 60, 4)),
            ("audio_bitrate", ParameterSchema.Pattern("AAC bit rate of every rendition, e.g. 128k.", "^[1-9][0-9]{1,3}k$", "128k")),
            ("preset", ParameterSchema.Enum("x264 speed against compression.", TranscodeSettings.Presets, "veryfast")),
            ("output_dir", ParameterSchema.String("Folder for master.m3u8 and one subfolder per variant (sandboxed); default: the job's output folder.")),
        ],
        "input_path"),
        DefaultTimeout = TimeSpan.FromHours(4),
    };

    protected override async Task<JsonObject> RunAsync(VideoJob job, CancellationToken cancellationToken)
    {
        var p = job.Parameters;
        var ladder = HlsVariant.ReadLadder(p.OptionalArray("variants"));
        var includeOriginal = p.Boolean("include_original", false);
        var segmentSeconds = p.IntegerInRange("segment_seconds", 4, 1, 60);
        var audioBitrate = p.OptionalString("audio_bitrate") ?? "128k";
        var preset = p.Choice("preset", "veryfast", TranscodeSettings.Presets);
        var destination = job.OutputFolder();

        var source = await Services.Ffprobe.ProbeAsync(job.Input, cancellationToken);
        var (video, duration) = MediaRequirements.RequireVideo(source, job.Input);
        var (width, height) = (video.DisplayWidth ?? 0, video.DisplayHeight ?? 0);
        var shortSide = Math.Min(width, height);
        var variants = ladder.Where(t => t.ShortSide <= shortSide).Select(t => HlsVariant.ForTier(t.ShortSide, t.Kbps, width, height)).ToList();
        var skipped = ladder.Where(t => t.ShortSide > shortSide).Select(t => $"{t.ShortSide}p").ToList();
        if (includeOriginal || variants.Count == 0)
        {
            var kbps = (int)Math.Clamp((video.BitRate ?? source.BitRate ?? 5_000_000) / 1000, 100, 100_000);
            variants.Insert(0, new HlsVariant("original", width / 2 * 2, height / 2 * 2, kbps));
        }

        var scratch = job.NewScratchFolder("hls");
        var arguments = Arguments(job, variants, source.HasAudio, video.FrameRate, segmentSeconds, audioBitrate, preset);
        var run = await Services.Ffmpeg.RunAsync(arguments, new FfmpegRunOptions { Duration = duration, Progress = job.Context.Progress, WorkingDirectory = scratch }, cancellationToken);
        job.Context.Logger.LogFfmpegCommand(run.CommandLine, run.Elapsed);

        var segments = variants.ToDictionary(v => v.Name, v => Directory.GetFiles(Path.Combine(scratch, v.Name), "*.ts").Length);
        var files = OutputCommitter.CommitFolder(
            scratch, destination, [.. variants.Select(v => Path.Combine(v.Name, VariantPlaylist)), MasterPlaylist]);
        return new JsonObject
        {
            ["master_playlist"] = Path.Combine(destination, MasterPlaylist),
            ["variants_generated"] = new JsonArray([.. variants.Select(v => JsonValue.Create(v.Name))]),
            ["variants_skipped"] = new JsonArray([.. skipped.Select(s => JsonValue.Create(s))]),
            ["variants"] = new JsonArray([.. variants.Select(v => (JsonNode)new JsonObject
            {
                ["name"] = v.Name,
                ["resolution"] = string.Create(CultureInfo.InvariantCulture, $"{v.Width}x{v.Height}"),
                ["bitrate"] = v.KilobitsPerSecond * 1000L,
                ["playlist"] = Path.Combine(destination, v.Name, VariantPlaylist),
                ["segments"] = segments[v.Name],
            })]),
            ["total_segments"] = segments.Values.Sum(),
            ["segment_seconds"] = segmentSeconds,
            ["duration"] = JsonOutput.Seconds(duration),
            ["output_dir"] = destination,
            ["files"] = JsonOutput.Files(files),
        };
    }

    private List<string> Arguments(
        VideoJob job, List<HlsVariant> variants, bool hasAudio, Rational? frameRate, int segmentSeconds, string audioBitrate, string preset)
    {
        var labels = variants.Select((_, i) => $"[s{i}]").ToList();
        var graph = $"[0:v]split={variants.Count}{string.Concat(labels)};"
            + string.Join(';', variants.Select((v, i) => string.Create(CultureInfo.InvariantCulture, $"[s{i}]scale={v.Width}:{v.Height},setsar=1[v{i}]")));
        List<string> arguments = [.. job.Input.Arguments(), "-filter_complex", graph];
        for (var i = 0; i < variants.Count; i++)
        {
            arguments.AddRange(["-map", $"[v{i}]"]);
            if (hasAudio)
            {
                arguments.AddRange(["-map", "0:a:0"]);
            }
        }

        arguments.AddRange(["-c:v", "libx264", "-preset", preset, "-pix_fmt", "yuv420p", "-threads", FfmpegArguments.Integer(Services.ThreadsPerJob)]);
        for (var i = 0; i < variants.Count; i++)
        {
            var kbps = variants[i].KilobitsPerSecond;
            arguments.AddRange(
            [
                $"-b:v:{i}", $"{kbps}k", $"-maxrate:v:{i}", $"{kbps * 107 / 100}k", $"-bufsize:v:{i}", $"{kbps * 3 / 2}k",
            ]);
        }

        // Output paths are relative to the scratch folder ffmpeg runs in: the muxer expands every '%'
        // of them, and COMPUTE_STORAGE_DIR may contain one.
        // Even segments: a keyframe exactly at every boundary, and no scene-cut keyframes between
        // them that would let the muxer cut early.
        arguments.AddRange(["-force_key_frames", $"expr:gte(t,n_forced*{segmentSeconds})", "-sc_threshold", "0"]);
        if (frameRate is { } rate)
        {
            var gop = FfmpegArguments.Integer(Math.Max(1, (long)Math.Round(rate.Value * segmentSeconds)));
            arguments.AddRange(["-g", gop, "-keyint_min", gop]);
        }

        if (hasAudio)
        {
            arguments.AddRange(["-c:a", "aac", "-b:a", audioBitrate, "-ac", "2"]);
        }

        var streamMap = string.Join(' ', variants.Select((v, i) => hasAudio ? $"v:{i},a:{i},name:{v.Name}" : $"v:{i},name:{v.Name}"));
        arguments.AddRange(
        [
            "-f", "hls", "-hls_time", FfmpegArguments.Integer(segmentSeconds), "-hls_playlist_type", "vod",
            "-hls_flags", "independent_segments", "-hls_segment_type", "mpegts",
            "-hls_segment_filename", Path.Combine("%v", "segment_%05d.ts"),
            "-master_pl_name", MasterPlaylist, "-var_stream_map", streamMap,
            Path.Combine("%v", VariantPlaylist),
        ]);
        return arguments;
    }
}
