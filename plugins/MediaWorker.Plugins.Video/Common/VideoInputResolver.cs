using MediaWorker.Ffmpeg.Inputs;
using MediaWorker.Plugins.Abstractions;

namespace MediaWorker.Plugins.Video.Common;

/// <summary>Turns a job's <c>input_path</c> into something ffmpeg may open: a sandboxed file or an allowed URL.</summary>
internal static class VideoInputResolver
{
    public static MediaInput Resolve(IJobFiles files, string value, UrlAllowList allowedUrls, string parameterName = "input_path")
    {
        if (!MediaInput.LooksLikeUrl(value))
        {
            return MediaInput.FromFile(files.ResolveInput(value, parameterName));
        }

        try
        {
            return MediaInput.FromUrl(value, allowedUrls);
        }
        catch (InputNotAllowedException ex)
        {
            throw new PermanentJobException($"{parameterName}: {ex.Message}", ex);
        }
    }
}
