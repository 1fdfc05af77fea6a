using System.Globalization;
using System.Text.Json.Nodes;
using MediaWorker.Ffmpeg.Probing;
using MediaWorker.Ffmpeg.Running;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.Video.Common;
using MediaWorker.Plugins.Video.Imaging;

namespace MediaWorker.Plugins.Video.Tasks;

/// <summary>
/// <c>sprite_sheet</c>: a thumbnail every <c>interval_seconds</c>, tiled <c>columns</c> x <c>rows</c>
/// per sheet, plus a WebVTT thumbnails track (<c>#xywh=</c>) for scrub previews; one ffmpeg pass.
/// </summary>
internal sealed class SpriteSheetHandler(VideoServices services) : VideoTaskHandler(services)
{
    private const string TrackName = "thumbnails.vtt";
    private static readonly string[] Formats = ["jpg", "png"];

    public override TaskDescriptor Descriptor { get; } = new()
    {
        TaskType = "sprite_sheet",
        Description = "Makes thumbnail sprite sheets (one thumbnail every interval_seconds, columns x rows per sheet) and a WebVTT thumbnails track with #xywh= for scrub previews.",
        ParameterSchema = ParameterSchema.Object(
        [
            ParameterSchema.InputPath(),
            ("interval_seconds", ParameterSchema.Number("Seconds between thumbnails.", 0, 3600, 2, exclusiveMinimum: true)),
            ("tile_width", ParameterSchema.Integer("Thumbnail width in pixels; the height follows the aspect ratio.", 16, 1920, 160)),
            ("columns", ParameterSchema.Integer("Thumbnails per row.", 1, 50, 5)),
            ("rows", ParameterSchema.Integer("Rows per sheet.", 1, 50, 5)),
            ("format", ParameterSchema.Enum("Sheet image format.", Formats, "jpg")),
            ("output_dir", ParameterSchema.String("Folder for the sheets and thumbnails.vtt (sandboxed); default: the job's output folder.")),
        ],
        "input_path"),
        DefaultTimeout = TimeSpan.FromHours(1),
    };

    protected override async Task<JsonObject> RunAsync(VideoJob job, CancellationToken cancellationToken)
    {
        var p = job.Parameters;
        var interval = p.OptionalNumberInRange("interval_seconds", 0, 3600, exclusiveMinimum: true) ?? 2;
        var tileWidth = p.IntegerInRange("tile_width", 160, 16, 1920);
        var columns = p.IntegerInRange("columns", 5, 1, 50);
        var rows = p.IntegerInRange("rows", 5, 1, 50);
        var format = p.Choice("format", "jpg", Formats);
        var destination = job.OutputFolder();

        var source = await Services.Ffprobe.ProbeAsync(job.Input, cancellationToken);
        var (_, duration) = MediaRequirements.RequireVideo(source, job.Input);
        var scratch = job.NewScratchFolder("sprites");
        var selected = new PrintedFrames();
        var intervalText = interval.ToString("0.######", CultureInfo.InvariantCulture);

        // selected_n counts the thumbnails taken so far, so the k-th is the first frame at or after
        // k*interval: no drift, and the metadata lines say exactly which frames made it.
        var filter = string.Create(
            CultureInfo.InvariantCulture,
            $"select='gte(t,selected_n*{intervalText})',metadata=add:key=mw.thumbnail:value=1,metadata=print:file='pipe\\:1',scale={tileWidth}:-2,setsar=1,tile={columns}x{rows}");
        List<string> arguments =
        [
            .. job.Input.Arguments(), "-map", "0:v:0", "-an", "-sn", "-dn", "-vf", filter, "-fps_mode", "passthrough",
            "-q:v", "3", $"sprite_%03d.{format}",
        ];
        var run = await Services.Ffmpeg.RunAsync(
            arguments,
            new FfmpegRunOptions { Duration = duration, Progress = job.Context.Progress, StandardOutput = selected.ReadAsync, WorkingDirectory = scratch },
            cancellationToken);
        job.Context.Logger.LogFfmpegCommand(run.CommandLine, run.Elapsed);

        var sheets = Directory.GetFiles(scratch, $"sprite_*.{format}").Order(StringComparer.Ordinal).ToList();
        if (sheets.Count == 0 || selected.Count == 0)
        {
            throw new PermanentJobException($"'{job.Input}' yielded no video frames to make thumbnails from.");
        }

        var (sheetWidth, sheetHeight) = ImageDimensions.Read(sheets[0]);
        var tileHeight = sheetHeight / rows;
        var perSheet = columns * rows;
        var cues = Enumerable.Range(0, selected.Count).Select(k => new WebVttThumbnails.Cue(
            TimeSpan.FromSeconds(k * interval),
            TimeSpan.FromSeconds(Math.Min((k + 1) * interval, duration.TotalSeconds)),
            Path.GetFileName(sheets[k / perSheet]),
            k % perSheet % columns * tileWidth,
            k % perSheet / columns * tileHeight,
            tileWidth,
            tileHeight));
        await File.WriteAllTextAsync(Path.Combine(scratch, TrackName), WebVttThumbnails.Write(cues), cancellationToken);

        var files = OutputCommitter.CommitFolder(scratch, destination, TrackName);
        return new JsonObject
        {
            ["sheets"] = JsonOutput.Files(sheets.Select(s => Path.Combine(destination, Path.GetFileName(s)))),
            ["vtt_path"] = Path.Combine(destination, TrackName),
            ["thumbnail_count"] = selected.Count,
            ["sheet_count"] = sheets.Count,
            ["interval_seconds"] = interval,
            ["tile_width"] = tileWidth,
            ["tile_height"] = tileHeight,
            ["columns"] = columns,
            ["rows"] = rows,
            ["sheet_width"] = sheetWidth,
            ["sheet_height"] = sheetHeight,
            ["duration"] = JsonOutput.Seconds(duration),
            ["output_dir"] = destination,
            ["files"] = JsonOutput.Files(files),
        };
    }
}
