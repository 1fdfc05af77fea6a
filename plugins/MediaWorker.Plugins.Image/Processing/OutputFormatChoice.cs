using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.Image.Formats;

namespace MediaWorker.Plugins.Image.Processing;

/// <summary>Decides the output format from the <c>format</c> parameter, the <c>output_path</c> extension and the input.</summary>
internal static class OutputFormatChoice
{
    private static readonly string Writable = "png, jpg, webp, gif, bmp, tiff, avif, jxl";

    /// <summary>
    /// The format to write: <paramref name="requested"/> when given, else the one <paramref name="outputPath"/>'s
    /// extension names, else <paramref name="fallback"/>. A format and an extension that disagree are refused.
    /// </summary>
    public static ImageFormat Resolve(string? requested, string? outputPath, ImageFormat fallback)
    {
        ArgumentNullException.ThrowIfNull(fallback);
        var byName = requested is null ? null : ImageFormat.FromName(requested)
            ?? throw new PermanentJobException($"Parameter 'format' is '{requested}', which is not an output format; use one of {string.Join(", ", ImageFormat.RequestNames)}.");
        var extension = outputPath is null ? null : Path.GetExtension(outputPath);
        var byExtension = string.IsNullOrEmpty(extension) ? null : ImageFormat.FromName(extension);
        if (byName is not null && byExtension is not null && byName != byExtension)
        {
            throw new PermanentJobException(
                $"output_path '{outputPath}' ends in '{extension}' but format is '{requested}'; make them agree (or leave format out to follow the extension).");
        }

        var format = byName ?? byExtension ?? fallback;
        if (!EncoderSupport.CanWrite(format))
        {
            throw new PermanentJobException(
                $"This worker cannot write {format.Coder}: Magick.NET's libheif decodes it but has no {format.Coder} encoder (HEVC is not bundled). Choose one of {Writable}; avif is the same HEIF container with AV1 inside.");
        }

        return format;
    }
}
