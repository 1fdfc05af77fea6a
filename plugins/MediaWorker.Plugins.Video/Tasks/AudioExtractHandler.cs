using System.Text.Json.Nodes;
using MediaWorker.Ffmpeg.Probing;
using MediaWorker.Ffmpeg.Running;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.Video.Common;

namespace MediaWorker.Plugins.Video.Tasks;

/// <summary><c>audio_extract</c>: the audio track as WAV (16 kHz mono PCM, for speech recognition), FLAC, MP3 or AAC.</summary>
internal sealed class AudioExtractHandler(VideoServices services) : VideoTaskHandler(services)
{
    private static readonly Dictionary<string, AudioFormat> FormatsByName = new(StringComparer.Ordinal)
    {
        ["wav"] = new("wav", ".wav", ["-c:a", "pcm_s16le", "-f", "wav"], 16_000, 1, HasBitrate: false),
        ["flac"] = new("flac", ".flac", ["-c:a", "flac", "-f", "flac"], null, null, HasBitrate: false),
        ["mp3"] = new("mp3", ".mp3", ["-c:a", "libmp3lame", "-f", "mp3"], null, null, HasBitrate: true, DefaultBitrate: "192k"),
        ["aac"] = new("aac", ".m4a", ["-c:a", "aac", "-movflags", "+faststart", "-f", "ipod"], null, null, HasBitrate: true, DefaultBitrate: "160k"),
    };

    public override TaskDescriptor Descriptor { get; } = new()
    {
        TaskType = "audio_extract",
        Description = "Extracts the audio track: wav (16 kHz mono PCM, ready for speech recognition, the default), flac, mp3 or aac (.m4a); optionally only start..end.",
        ParameterSchema = ParameterSchema.Object(
        [
            ParameterSchema.InputPath(),
            ("format", ParameterSchema.Enum("wav: 16 kHz mono 16-bit PCM unless sample_rate/channels say otherwise; flac; mp3; aac in an .m4a file.", FormatsByName.Keys, "wav")),
            ("start", ParameterSchema.Number("Where to start, in seconds.", 0, null, 0)),
            ("end", ParameterSchema.Number("Where to stop, in seconds; default: the end.", 0, null, exclusiveMinimum: true)),
            ("sample_rate", ParameterSchema.Integer("Samples per second; default 16000 for wav, the source's rate otherwise.", 8000, 192_000)),
            ("channels", ParameterSchema.Integer("Channels; default 1 for wav, the source's otherwise.", 1, 8)),
            ("bitrate", ParameterSchema.Pattern("mp3 and aac only: the bit rate, e.g. 128k (default 192k for mp3, 160k for aac).", "^[1-9][0-9]{1,3}k$")),
            ("output_path", ParameterSchema.String("Where to write the file (sandboxed); its extension must suit the format. Default: <input name>.<ext> in the job's output folder.")),
        ],
        "input_path"),
        DefaultTimeout = TimeSpan.FromMinutes(60),
    };

    protected override async Task<JsonObject> RunAsync(VideoJob job, CancellationToken cancellationToken)
    {
        var p = job.Parameters;
        var format = FormatsByName[p.Choice("format", "wav", FormatsByName.Keys)];
        var bitrate = p.OptionalString("bitrate");
        if (bitrate is not null && !format.HasBitrate)
        {
            throw JobParameters.Invalid("bitrate", $"applies only to mp3 and aac ({format.Name} is lossless)");
        }

        var destination = job.OutputFile(job.InputStem + format.Extension);
        var extension = Path.GetExtension(destination);
        if (!extension.Equals(format.Extension, StringComparison.OrdinalIgnoreCase) && !(format.Name == "aac" && extension.Equals(".aac", StringComparison.OrdinalIgnoreCase)))
        {
            throw JobParameters.Invalid("output_path", $"must end with {format.Extension} for format {format.Name} (got '{Path.GetFileName(destination)}')");
        }

        var info = await Services.Ffprobe.ProbeAsync(job.Input, cancellationToken);
        var (_, duration) = MediaRequirements.RequireAudio(info, job.Input);
        var range = TimeRange.Read(p, duration);
        var sampleRate = p.OptionalInteger("sample_rate") ?? format.SampleRate;
        var channels = p.OptionalInteger("channels") ?? format.Channels;

        var scratch = Path.Combine(job.NewScratchFolder("audio"), "audio" + extension);
        var inputOptions = range.Start > TimeSpan.Zero ? new[] { "-ss", FfmpegArguments.Seconds(range.Start) } : [];
        List<string> arguments =
        [
            .. job.Input.Arguments(inputOptions),
            "-t", FfmpegArguments.Seconds(range.Length),
            "-map", "0:a:0", "-vn", "-sn", "-dn", "-map_metadata", "-1",
        ];
        if (sampleRate is { } rate)
        {
            arguments.AddRange(["-ar", FfmpegArguments.Integer(rate)]);
        }

        if (channels is { } count)
        {
            arguments.AddRange(["-ac", FfmpegArguments.Integer(count)]);
        }

        if (format.HasBitrate)
        {
            arguments.AddRange(["-b:a", bitrate ?? format.DefaultBitrate!]);
        }

        arguments.AddRange(format.Name == "aac" && extension.Equals(".aac", StringComparison.OrdinalIgnoreCase) ? ["-c:a", "aac", "-f", "adts"] : format.CodecArguments);
        arguments.Add(scratch);
        var run = await Services.Ffmpeg.RunAsync(arguments, new FfmpegRunOptions { Duration = range.Length, Progress = job.Context.Progress }, cancellationToken);
        job.Context.Logger.LogFfmpegCommand(run.CommandLine, run.Elapsed);

        // The duration comes from the written file's packets: the container's own figure is an
        // estimate from the bit rate for raw ADTS (.aac), and can be seconds short.
        var writtenFile = Ffmpeg.Inputs.MediaInput.FromFile(scratch);
        var written = await Services.Ffprobe.ProbeAsync(writtenFile, cancellationToken);
        var writtenDuration = await Services.Ffprobe.MeasureStreamDurationAsync(writtenFile, "a:0", cancellationToken) ?? written.Duration;
        OutputCommitter.CommitFile(scratch, destination);
        var audio = written.PrimaryAudio;
        return new JsonObject
        {
            ["path"] = destination,
            ["format"] = format.Name,
            ["codec"] = audio?.CodecName,
            ["start"] = JsonOutput.Seconds(range.Start),
            ["end"] = JsonOutput.Seconds(writtenDuration is { } real ? range.Start + real : range.End),
            ["duration"] = writtenDuration is { } d ? JsonOutput.Seconds(d) : null,
            ["sample_rate"] = audio?.SampleRate,
            ["channels"] = audio?.Channels,
            ["size"] = new FileInfo(destination).Length,
            ["files"] = JsonOutput.Files([destination]),
        };
    }

    private sealed record AudioFormat(string Name, string Extension, string[] CodecArguments, int? SampleRate, int? Channels, bool HasBitrate, string? DefaultBitrate = null);
}
