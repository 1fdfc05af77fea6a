using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.Gemini.Analysis;
using MediaWorker.Plugins.Gemini.Api;
using MediaWorker.Plugins.Gemini.Jobs;

namespace MediaWorker.Plugins.Gemini.Media;

/// <summary>Gets media ready for a model: probes durations and uploads what the prompt needs.</summary>
#pragma warning disable CA1822 // becomes stateful with the shared ffmpeg library
internal sealed class MediaPreparer
{
    public Task<double?> DurationAsync(string path, CancellationToken cancellationToken) => Task.FromResult<double?>(null);

    /// <summary>Uploads the media ai_analyze sends: the video in deep mode, otherwise the sound.</summary>
    public async Task<UploadedMedia> UploadForAnalysisAsync(GeminiClient gemini, IJobContext job, AnalysisSource source, bool deep, CancellationToken cancellationToken)
    {
        var path = job.Files.ResolveInput(source.Path!);
        var progress = new ProgressRange(job, 10, 60);
        var file = await gemini.UploadFileAsync(path, MediaTypes.MimeOf(path), Path.GetFileName(path), progress, cancellationToken);
        job.Progress.Report(65);
        return new UploadedMedia(gemini, file);
    }
}
