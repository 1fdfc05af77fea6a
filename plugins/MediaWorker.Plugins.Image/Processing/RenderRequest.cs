using MediaWorker.Plugins.Image.Formats;

namespace MediaWorker.Plugins.Image.Processing;

/// <summary>A resize: a box and how to fit into it.</summary>
internal sealed record ResizeRequest(int? Width, int? Height, FitMode Fit, bool Upscale);

/// <summary>What an image-to-image task asks for.</summary>
/// <param name="OutputPath">The job's <c>output_path</c>, or <see langword="null"/> for the job's output folder.</param>
/// <param name="Format">The requested output format name; <see langword="null"/> follows the output path's extension, else the input.</param>
/// <param name="Quality">1-100 for lossy formats.</param>
/// <param name="Resize">A resize, or <see langword="null"/> to keep the size.</param>
/// <param name="StripMetadata">Drop EXIF/ICC/XMP and comments.</param>
/// <param name="Suffix">Appended to the input's name for the default output name (e.g. <c>_thumb</c>).</param>
internal sealed record RenderRequest(string? OutputPath, string? Format, int Quality, ResizeRequest? Resize, bool StripMetadata, string Suffix)
{
    /// <summary>The file the default output name follows, when it is not the decoded input (a video's grid).</summary>
    public string? NamedAfter { get; init; }
}

/// <summary>What was written.</summary>
internal sealed record RenderResult(string Path, int Width, int Height, ImageFormat Format, long Bytes, int Frames);
