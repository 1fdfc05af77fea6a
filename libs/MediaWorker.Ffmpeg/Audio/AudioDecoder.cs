using System.Globalization;
using System.Runtime.InteropServices;
using MediaWorker.Ffmpeg.Inputs;
using MediaWorker.Ffmpeg.Probing;
using MediaWorker.Ffmpeg.Running;

namespace MediaWorker.Ffmpeg.Audio;

/// <summary>
/// Decodes the audio of any audio or video input to 16 kHz mono: as 32-bit float samples in memory
/// (what whisper.cpp takes) or as a 16-bit PCM WAV file.
/// </summary>
/// <remarks>
/// In memory a second of audio takes 64 KB (an hour about 230 MB); decode long inputs in ranges.
/// Thread-safe.
/// </remarks>
/// <param name="ffmpeg">Runs ffmpeg.</param>
/// <param name="ffprobe">Probes the duration when progress is wanted.</param>
public sealed class AudioDecoder(FfmpegRunner ffmpeg, FfprobeRunner ffprobe)
{
    /// <summary>The sample rate of everything this class produces.</summary>
    public const int SampleRate = 16_000;

    /// <summary>Decodes to 16 kHz mono 32-bit float samples in [-1, 1].</summary>
    /// <param name="input">Any input with an audio stream.</param>
    /// <param name="options">Range, progress and time limit; <see langword="null"/> for the whole input.</param>
    /// <param name="cancellationToken">Kills ffmpeg when it fires.</param>
    /// <returns>The samples (empty when the range holds no audio).</returns>
    /// <exception cref="FfmpegException">The input cannot be read or has no audio stream.</exception>
    public async Task<float[]> DecodePcmAsync(MediaInput input, AudioDecodeOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        options ??= new AudioDecodeOptions();
        var pcm = new MemoryStream();
        await using (pcm)
        {
            var arguments = await ArgumentsAsync(input, options, ["-f", "f32le", "-c:a", "pcm_f32le", "pipe:1"], cancellationToken);
            await ffmpeg.RunAsync(
                arguments.Arguments,
                new FfmpegRunOptions { Duration = arguments.Duration, Progress = options.Progress, Timeout = options.Timeout, StandardOutput = (s, ct) => s.CopyToAsync(pcm, ct) },
                cancellationToken);
            var bytes = pcm.GetBuffer().AsSpan(0, (int)(pcm.Length / sizeof(float) * sizeof(float)));
            return MemoryMarshal.Cast<byte, float>(bytes).ToArray();
        }
    }

    /// <summary>Decodes to a 16 kHz mono 16-bit PCM WAV file.</summary>
    /// <param name="input">Any input with an audio stream.</param>
    /// <param name="outputPath">The WAV file to write (overwritten); write to a scratch folder and move it into place.</param>
    /// <param name="options">Range, progress and time limit; <see langword="null"/> for the whole input.</param>
    /// <param name="cancellationToken">Kills ffmpeg when it fires.</param>
    /// <exception cref="FfmpegException">The input cannot be read or has no audio stream.</exception>
    public async Task DecodeWavAsync(MediaInput input, string outputPath, AudioDecodeOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputPath);
        options ??= new AudioDecodeOptions();
        var arguments = await ArgumentsAsync(input, options, ["-f", "wav", "-c:a", "pcm_s16le", outputPath], cancellationToken);
        await ffmpeg.RunAsync(
            arguments.Arguments,
            new FfmpegRunOptions { Duration = arguments.Duration, Progress = options.Progress, Timeout = options.Timeout },
            cancellationToken);
    }

    private async Task<(List<string> Arguments, TimeSpan? Duration)> ArgumentsAsync(
        MediaInput input, AudioDecodeOptions options, string[] output, CancellationToken cancellationToken)
    {
        if (options.Start is { } from && from < TimeSpan.Zero || options.End is { } to && to <= (options.Start ?? TimeSpan.Zero))
        {
            throw new ArgumentOutOfRangeException(nameof(options), "The range must have Start >= 0 and End after Start.");
        }

        TimeSpan? duration = null;
        if (options.Progress is not null)
        {
            var info = await ffprobe.ProbeAsync(input, cancellationToken);
            var whole = MediaRequirements.RequireAudio(info, input).Duration;
            duration = (options.End is { } end && end < whole ? end : whole) - (options.Start ?? TimeSpan.Zero);
        }

        var inputOptions = new List<string>();
        if (options.Start is { } start && start > TimeSpan.Zero)
        {
            inputOptions.AddRange(["-ss", Seconds(start)]);
        }

        List<string> arguments = [.. input.Arguments([.. inputOptions])];
        if (options.End is { } stop)
        {
            arguments.AddRange(["-t", Seconds(stop - (options.Start ?? TimeSpan.Zero))]);
        }

        arguments.AddRange(["-map", "0:a:0", "-vn", "-sn", "-dn", "-ac", "1", "-ar", SampleRate.ToString(CultureInfo.InvariantCulture)]);
        arguments.AddRange(output);
        return (arguments, duration);
    }

    private static string Seconds(TimeSpan value) => value.TotalSeconds.ToString("0.######", CultureInfo.InvariantCulture);
}
