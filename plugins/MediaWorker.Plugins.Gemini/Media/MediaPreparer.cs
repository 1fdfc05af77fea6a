using MediaWorker.Ffmpeg;
using MediaWorker.Ffmpeg.Inputs;
using MediaWorker.Ffmpeg.Probing;
using MediaWorker.Ffmpeg.Running;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.Gemini.Analysis;
using MediaWorker.Plugins.Gemini.Api;

namespace MediaWorker.Plugins.Gemini.Media;

/// <summary>Gets media ready for a model: probes it and uploads what the prompt needs.</summary>
internal sealed class MediaPreparer(FfmpegRunner ffmpeg, FfprobeRunner ffprobe)
{
    /// <summary>Probes a media file.</summary>
    /// <exception cref="PermanentJobException">The file cannot be read as media.</exception>
    public Task<MediaInfo> ProbeAsync(string path, string parameterName, CancellationToken cancellationToken) =>
        FfmpegFailures.RunAsync(() => ffprobe.ProbeAsync(MediaInput.FromFile(path), cancellationToken), parameterName, path);

    /// <summary>The media's duration in seconds, or <see langword="null"/> when it has none.</summary>
    public async Task<double?> DurationAsync(string path, CancellationToken cancellationToken) =>
        (await ProbeAsync(path, "input_path", cancellationToken)).Duration?.TotalSeconds;

    /// <summary>
    /// Uploads what ai_analyze sends: in deep mode the video itself; in standard mode the sound only
    /// (an audio file as it is, a video's audio track as 32 kbit/s mono Opus, a fraction of the video's size).
    /// </summary>
    public async Task<UploadedMedia> UploadForAnalysisAsync(GeminiClient gemini, IJobContext job, AnalysisSource source, bool deep, CancellationToken cancellationToken)
    {
        var path = job.Files.ResolveInput(source.Path!);
        var upload = path;
        var mime = MediaTypes.MimeOf(path);
        if (!deep && source.Kind == InputKind.Video)
        {
            upload = await ExtractSpeechAudioAsync(path, job, cancellationToken);
            mime = "audio/ogg";
        }

        var uploaded = await UploadedMedia.UploadAsync(gemini, upload, mime, new ScaledProgress(job.Progress, 15, 60), cancellationToken);
        job.Progress.Report(65);
        return uploaded;
    }

    private async Task<string> ExtractSpeechAudioAsync(string path, IJobContext job, CancellationToken cancellationToken)
    {
        var info = await ProbeAsync(path, "input_path", cancellationToken);
        if (!info.HasAudio)
        {
            throw new PermanentJobException($"input_path '{Path.GetFileName(path)}' has no audio track, so mode 'standard' has nothing to analyse; use mode 'deep' to analyse the pictures.");
        }

        var output = Path.Combine(job.Files.ScratchDirectory, Path.GetFileNameWithoutExtension(path) + ".audio.ogg");
        Directory.CreateDirectory(job.Files.ScratchDirectory);
        await FfmpegFailures.RunAsync(
            () => ffmpeg.RunAsync(
                [.. MediaInput.FromFile(path).Arguments(), "-map", "0:a:0", "-vn", "-sn", "-dn", "-ac", "1", "-ar", "16000", "-c:a", "libopus", "-b:a", "32k", output],
                new FfmpegRunOptions { Duration = info.Duration, Progress = new ScaledProgress(job.Progress, 5, 15) },
                cancellationToken),
            "input_path",
            path);
        return output;
    }
}
