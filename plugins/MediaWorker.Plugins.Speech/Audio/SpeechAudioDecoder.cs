using MediaWorker.Ffmpeg.Diagnostics;
using System.Globalization;
using MediaWorker.Ffmpeg;
using MediaWorker.Ffmpeg.Audio;
using MediaWorker.Ffmpeg.Inputs;
using MediaWorker.Ffmpeg.Probing;
using MediaWorker.Plugins.Abstractions;

namespace MediaWorker.Plugins.Speech.Audio;

/// <summary>Audio ready for whisper.cpp: 16 kHz mono samples and the input's real duration.</summary>
/// <param name="Samples">The decoded samples.</param>
/// <param name="Duration">Seconds of audio decoded.</param>
internal sealed record DecodedAudio(float[] Samples, double Duration);

/// <summary>
/// Decodes any audio or video file to 16 kHz mono float with the shared ffmpeg library, and refuses
/// what cannot be transcribed (no audio stream, no samples, only silence) with a message that says
/// what the input is.
/// </summary>
/// <remarks>
/// The file is opened through <see cref="LocalInputGuard"/>, as the Video plugin's inputs are: an HLS
/// playlist or concat list (whatever its name) is read only when every file it names is inside the
/// job's sandbox, so a transcript can never be made of a file outside it.
/// </remarks>
internal sealed class SpeechAudioDecoder(AudioDecoder decoder, FfprobeRunner ffprobe, LocalInputGuard guard)
{
    /// <summary>Creates the decoder for the ffmpeg/ffprobe the settings name (FFMPEG_PATH, FFPROBE_PATH) or PATH's.</summary>
    public static SpeechAudioDecoder FromSettings(IPluginSettings settings)
    {
        var paths = FfmpegToolPaths.FromSettings(settings.GetValue);
        var ffprobe = new FfprobeRunner(paths);
        return new SpeechAudioDecoder(new AudioDecoder(new Ffmpeg.Running.FfmpegRunner(paths), ffprobe), ffprobe, new LocalInputGuard(paths));
    }

    /// <summary>Decodes a file the sandbox resolved.</summary>
    /// <param name="path">The resolved path.</param>
    /// <param name="shownPath">The path as the job gave it, for messages.</param>
    /// <param name="checkReference">The sandbox's rule for files the input names (<see cref="IJobFiles.CheckReference"/>).</param>
    /// <param name="cancellationToken">Kills ffmpeg when it fires.</param>
    /// <exception cref="PermanentJobException">The file has no decodable audio, only silence, or names files outside the sandbox.</exception>
    /// <exception cref="RetryableJobException">ffmpeg hit a passing fault (memory, disk, its time limit).</exception>
    public async Task<DecodedAudio> DecodeAsync(string path, string shownPath, Func<string, string?> checkReference, CancellationToken cancellationToken)
    {
        float[] samples;
        try
        {
            var input = await guard.OpenAsync(path, checkReference, cancellationToken);
            MediaRequirements.RequireAudio(await ffprobe.ProbeAsync(input, cancellationToken), input);
            samples = await decoder.DecodePcmAsync(input, options: null, cancellationToken);
        }
        catch (FfmpegException ex)
        {
            throw Translate(ex, path, shownPath);
        }
        catch (InputNotAllowedException ex)
        {
            throw new PermanentJobException($"input_path: {ex.Message}", ex);
        }

        if (samples.Length == 0)
        {
            throw new PermanentJobException($"input_path '{shownPath}' has an audio stream but no audio samples in it: there is nothing to transcribe.");
        }

        var peak = AudioSamples.PeakDbfs(samples);
        if (peak < AudioSamples.SilencePeakDbfs)
        {
            var level = double.IsNegativeInfinity(peak) ? "digital silence" : peak.ToString("0.0", CultureInfo.InvariantCulture) + " dBFS peak";
            throw new PermanentJobException(
                $"input_path '{shownPath}' contains only silence ({level} over {AudioSamples.Seconds(samples.Length).ToString("0.##", CultureInfo.InvariantCulture)} s, below {AudioSamples.SilencePeakDbfs} dBFS): there is nothing to transcribe.");
        }

        return new DecodedAudio(samples, AudioSamples.Seconds(samples.Length));
    }

    // A local file that ffmpeg cannot read is a bad request; memory, disk and time limits pass.
    private static Exception Translate(FfmpegException failure, string path, string shownPath)
    {
        var reason = failure.Message.Replace(path, shownPath, StringComparison.Ordinal);
        var message = $"input_path '{shownPath}' cannot be transcribed: {reason}";
        return FfmpegFailureClassifier.IsPassing(failure) ? new RetryableJobException(message, failure) : new PermanentJobException(message, failure);
    }
}
