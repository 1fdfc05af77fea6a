using MediaWorker.Ffmpeg;
using MediaWorker.Ffmpeg.Inputs;
using MediaWorker.Ffmpeg.Probing;
using MediaWorker.Ffmpeg.Running;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.Gemini.Analysis;
using MediaWorker.Plugins.Gemini.Api;

namespace MediaWorker.Plugins.Gemini.Media;

/// <summary>
/// Gets media ready for a model: opens it for ffmpeg through <see cref="LocalInputGuard"/> (so a
/// playlist or list, whatever its name, is read only when every file it names is in the sandbox),
/// probes it, and uploads what the prompt needs.
/// </summary>
internal sealed class MediaPreparer(FfmpegRunner ffmpeg, FfprobeRunner ffprobe, LocalInputGuard guard)
{
    /// <summary>Opens a sandboxed file for ffmpeg and probes it.</summary>
    /// <param name="files">The job's sandbox, whose rules apply to every file the input names.</param>
    /// <param name="path">The file, already resolved through <paramref name="files"/>.</param>
    /// <param name="parameterName">The parameter that named it, for messages.</param>
    /// <param name="cancellationToken">Kills ffprobe when it fires.</param>
    /// <exception cref="PermanentJobException">The file cannot be read as media, or names files outside the sandbox.</exception>
    public async Task<(MediaInput Input, MediaInfo Info)> ProbeAsync(IJobFiles files, string path, string parameterName, CancellationToken cancellationToken)
    {
        var input = await FfmpegFailures.RunAsync(() => OpenAsync(files, path, parameterName, cancellationToken), parameterName, path);
        return (input, await FfmpegFailures.RunAsync(() => ffprobe.ProbeAsync(input, cancellationToken), parameterName, path));
    }

    /// <summary>The media's duration in seconds, or <see langword="null"/> when it has none.</summary>
    public async Task<double?> DurationAsync(IJobFiles files, string path, CancellationToken cancellationToken) =>
        (await ProbeAsync(files, path, "input_path", cancellationToken)).Info.Duration?.TotalSeconds;

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
        var (input, info) = await ProbeAsync(job.Files, path, "input_path", cancellationToken);
        if (!info.HasAudio)
        {
            throw new PermanentJobException($"input_path '{Path.GetFileName(path)}' has no audio track, so mode 'standard' has nothing to analyse; use mode 'deep' to analyse the pictures.");
        }

        var output = Path.Combine(job.Files.ScratchDirectory, Path.GetFileNameWithoutExtension(path) + ".audio.ogg");
        Directory.CreateDirectory(job.Files.ScratchDirectory);
        await FfmpegFailures.RunAsync(
            () => ffmpeg.RunAsync(
                [.. input.Arguments(), "-map", "0:a:0", "-vn", "-sn", "-dn", "-ac", "1", "-ar", "16000", "-c:a", "libopus", "-b:a", "32k", output],
                new FfmpegRunOptions { Duration = info.Duration, Progress = new ScaledProgress(job.Progress, 5, 15) },
                cancellationToken),
            "input_path",
            path);
        return output;
    }

    private async Task<MediaInput> OpenAsync(IJobFiles files, string path, string parameterName, CancellationToken cancellationToken)
    {
        try
        {
            return await guard.OpenAsync(path, files.CheckReference, cancellationToken);
        }
        catch (InputNotAllowedException ex)
        {
            throw new PermanentJobException($"{parameterName}: {ex.Message}", ex);
        }
    }
}
