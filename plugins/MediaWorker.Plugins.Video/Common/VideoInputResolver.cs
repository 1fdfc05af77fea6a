using MediaWorker.Ffmpeg.Inputs;
using MediaWorker.Plugins.Abstractions;

namespace MediaWorker.Plugins.Video.Common;

/// <summary>
/// Turns a job's <c>input_path</c> into something ffmpeg may open: an allowed URL, or a sandboxed
/// file whose real format has been identified, so a playlist or list is read only when every
/// file it names passes the same sandbox rules as input_path itself.
/// </summary>
internal static class VideoInputResolver
{
    public static async Task<MediaInput> ResolveAsync(
        IJobFiles files, string value, VideoServices services, CancellationToken cancellationToken, string parameterName = "input_path")
    {
        try
        {
            if (MediaInput.LooksLikeUrl(value))
            {
                return MediaInput.FromUrl(value, services.AllowedUrls);
            }

            var path = files.ResolveInput(value, parameterName);
            return await services.LocalInputs.OpenAsync(path, files.CheckReference, cancellationToken);
        }
        catch (InputNotAllowedException ex)
        {
            throw new PermanentJobException($"{parameterName}: {ex.Message}", ex);
        }
    }
}
