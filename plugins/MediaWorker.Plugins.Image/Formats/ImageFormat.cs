namespace MediaWorker.Plugins.Image.Formats;

/// <summary>An image format on the allow-list.</summary>
/// <param name="Name">The name producers use and outputs report, e.g. <c>jpeg</c>.</param>
/// <param name="Coder">The ImageMagick coder that reads and writes it, always named explicitly.</param>
/// <param name="Extension">The file extension written, without the dot.</param>
/// <param name="IsLossy">Whether <c>quality</c> applies.</param>
/// <param name="HasAlpha">Whether it can store transparency; otherwise alpha is flattened onto white.</param>
/// <param name="HasFrames">Whether it can store several frames (animation, pages).</param>
/// <param name="IsOptional">Whether it depends on a delegate library that may be missing (libheif).</param>
internal sealed record ImageFormat(string Name, string Coder, string Extension, bool IsLossy, bool HasAlpha, bool HasFrames, bool IsOptional = false)
{
    public static readonly ImageFormat Jpeg = new("jpeg", "JPEG", "jpg", IsLossy: true, HasAlpha: false, HasFrames: false);
    public static readonly ImageFormat Png = new("png", "PNG", "png", IsLossy: false, HasAlpha: true, HasFrames: false);
    public static readonly ImageFormat WebP = new("webp", "WEBP", "webp", IsLossy: true, HasAlpha: true, HasFrames: true);
    public static readonly ImageFormat Gif = new("gif", "GIF", "gif", IsLossy: false, HasAlpha: true, HasFrames: true);
    public static readonly ImageFormat Bmp = new("bmp", "BMP", "bmp", IsLossy: false, HasAlpha: true, HasFrames: false);
    public static readonly ImageFormat Tiff = new("tiff", "TIFF", "tiff", IsLossy: false, HasAlpha: true, HasFrames: true);
    public static readonly ImageFormat Heic = new("heic", "HEIC", "heic", IsLossy: true, HasAlpha: true, HasFrames: false, IsOptional: true);
    public static readonly ImageFormat Avif = new("avif", "AVIF", "avif", IsLossy: true, HasAlpha: true, HasFrames: false, IsOptional: true);

    /// <summary>Every format on the allow-list.</summary>
    public static IReadOnlyList<ImageFormat> All { get; } = [Jpeg, Png, WebP, Gif, Bmp, Tiff, Heic, Avif];

    /// <summary>The names a producer may give for an output format (the schema's enum).</summary>
    public static IReadOnlyList<string> RequestNames { get; } = ["png", "jpg", "jpeg", "webp", "gif", "bmp", "tiff", "tif", "avif", "heic"];

    /// <summary>Finds a format by a producer's name or a file extension (case-insensitive, <c>jpg</c> and <c>tif</c> included).</summary>
    public static ImageFormat? FromName(string? name) => name?.Trim().TrimStart('.').ToUpperInvariant() switch
    {
        "JPG" or "JPEG" or "JPE" => Jpeg,
        "PNG" => Png,
        "WEBP" => WebP,
        "GIF" => Gif,
        "BMP" => Bmp,
        "TIF" or "TIFF" => Tiff,
        "HEIC" or "HEIF" => Heic,
        "AVIF" => Avif,
        _ => null,
    };

    public override string ToString() => Name;
}
