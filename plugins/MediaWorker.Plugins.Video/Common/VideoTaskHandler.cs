using System.Text.Json.Nodes;
using MediaWorker.Ffmpeg;
using MediaWorker.Ffmpeg.Inputs;
using MediaWorker.Plugins.Abstractions;

namespace MediaWorker.Plugins.Video.Common;

/// <summary>
/// The part every video task shares: resolve <c>input_path</c> (sandboxed file or allowed URL),
/// run the task, and turn ffmpeg's failures into permanent or retryable job errors that name the input.
/// </summary>
internal abstract class VideoTaskHandler(VideoServices services) : ITaskHandler
{
    public abstract TaskDescriptor Descriptor { get; }

    protected VideoServices Services { get; } = services;

    public async Task<JsonObject> ExecuteAsync(IJobContext job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var parameters = new JobParameters(job.Parameters);
        var input = await VideoInputResolver.ResolveAsync(job.Files, parameters.RequiredString("input_path"), Services, cancellationToken);
        try
        {
            return await RunAsync(new VideoJob(job, parameters, input), cancellationToken);
        }
        catch (FfmpegException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw FfmpegFailureTranslator.Translate(ex, input);
        }
    }

    /// <summary>Runs the task on a resolved input.</summary>
    protected abstract Task<JsonObject> RunAsync(VideoJob job, CancellationToken cancellationToken);
}

/// <summary>A job with its parameters read and its input resolved.</summary>
internal sealed record VideoJob(IJobContext Context, JobParameters Parameters, MediaInput Input)
{
    public IJobFiles Files => Context.Files;

    /// <summary>A fresh folder inside the attempt's scratch folder for this task's partial files.</summary>
    public string NewScratchFolder(string name)
    {
        var folder = Path.Combine(Files.ScratchDirectory, name);
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>The input's name without folder and extension, for default output names ("clip" for a URL without one).</summary>
    public string InputStem
    {
        get
        {
            var name = Input.IsUrl ? new Uri(Input.Location).Segments[^1] : Path.GetFileName(Input.DisplayName);
            var stem = Path.GetFileNameWithoutExtension(Uri.UnescapeDataString(name));
            var safe = new string([.. stem.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_')]).Trim('.');
            return safe.Length > 0 ? safe : "media";
        }
    }

    /// <summary>Where a single-file output goes: <c>output_path</c> if given (sandboxed), else the job's output folder.</summary>
    public string OutputFile(string defaultFileName, string parameterName = "output_path")
    {
        var requested = Parameters.OptionalString(parameterName);
        return requested is null ? Path.Combine(Files.OutputDirectory, defaultFileName) : Files.ResolveOutput(requested, parameterName);
    }

    /// <summary>Where a multi-file output goes: <c>output_dir</c> if given (sandboxed), else the job's output folder.</summary>
    public string OutputFolder(string parameterName = "output_dir")
    {
        var requested = Parameters.OptionalString(parameterName);
        if (requested is null)
        {
            return Files.OutputDirectory;
        }

        var folder = Files.ResolveOutput(requested, parameterName);
        if (File.Exists(folder))
        {
            throw new PermanentJobException($"{parameterName} '{requested}' is a file; give a folder.");
        }

        return folder;
    }
}
