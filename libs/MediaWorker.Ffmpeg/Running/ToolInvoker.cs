using MediaWorker.Ffmpeg.Diagnostics;
using MediaWorker.Ffmpeg.Processes;

namespace MediaWorker.Ffmpeg.Running;

/// <summary>Runs ffmpeg or ffprobe and turns every way it can fail into the library's one exception type.</summary>
internal static class ToolInvoker
{
    public static async Task<ProcessResult> RunAsync(ProcessRequest request, string program, string setting, CancellationToken cancellationToken)
    {
        if (ExecutableLocator.TryResolve(request.FileName) is null)
        {
            throw new FileNotFoundException(
                $"{program} was not found ('{request.FileName}'): install ffmpeg (Debian: apt-get install ffmpeg) or set {setting} to the program's path.",
                request.FileName);
        }

        ProcessResult result;
        try
        {
            result = await ProcessRunner.RunAsync(request, cancellationToken);
        }
        catch (ProcessTimeoutException ex)
        {
            var reason = ex.StandardErrorTail.Count > 0 ? " Last output: " + FfmpegErrorCondenser.Condense(ex.StandardErrorTail, program) : string.Empty;
            throw new FfmpegException($"{program} ran longer than its time limit of {ex.Limit.TotalSeconds:0.###} s and was stopped.{reason}", null, ex.StandardErrorTail, ex);
        }

        // Asked to stop: a non-zero code (ffmpeg exits 255 on SIGINT) is the stop, not a failure.
        if (result.ExitCode != 0 && !result.Interrupted)
        {
            throw new FfmpegException(FfmpegErrorCondenser.Condense(result.StandardErrorTail, program, result.ExitCode), result.ExitCode, result.StandardErrorTail);
        }

        return result;
    }
}
