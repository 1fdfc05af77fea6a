using ImageMagick;

namespace MediaWorker.Plugins.Image.Formats;

/// <summary>An image format on the allow-list.</summary>
/// <param name="Name">The name producers use and outputs report, e.g. <c>jpeg</c>.</param>
/// <param name="Coder">The ImageMagick coder's name, for messages.</param>
/// <param name="Magick">The coder Magick.NET is told to use, always explicitly.</param>
/// <param name="Extension">The file extension written, without the dot.</param>
/// <param name="IsLossy">Whether <c>quality</c> applies.</param>
/// <param name="HasAlpha">Whether it can store transparency; otherwise alpha is flattened onto white.</param>
/// <param name="HasFrames">Whether it can store several frames (animation, pages).</param>
/// <param name="IsOptional">Whether its encoder may be missing (Magick.NET's libheif reads HEIC but cannot write it).</param>
/// <param name="KeepsSixteenBits">Whether it stores 16 bits per sample, so a 16-bit input stays 16-bit.</param>
internal sealed record ImageFormat(string Name, string Coder, MagickFormat Magick, string Extension, bool IsLossy, bool HasAlpha, bool HasFrames, bool IsOptional = false, bool KeepsSixteenBits = false)
{
    public static readonly ImageFormat Jpeg = new("jpeg", "JPEG", MagickFormat.Jpeg, "jpg", IsLossy: true, HasAlpha: false, HasFrames: false);
    public static readonly ImageFormat Png = new("png", "PNG", MagickFormat.Png, "png", IsLossy: false, HasAlpha: true, HasFrames: false, KeepsSixteenBits: true);
    public static readonly ImageFormat WebP = new("webp", "WEBP", MagickFormat.WebP, "webp", IsLossy: true, HasAlpha: true, HasFrames: true);
    public static readonly ImageFormat Gif = new("gif", "GIF", MagickFormat.Gif, "gif", IsLossy: false, HasAlpha: true, HasFrames: true);
    public static readonly ImageFormat Bmp = new("bmp", "BMP", MagickFormat.Bmp, "bmp", IsLossy: false, HasAlpha: true, HasFrames: false);
    public static readonly ImageFormat Tiff = new("tiff", "TIFF", MagickFormat.Tiff, "tiff", IsLossy: false, HasAlpha: true, HasFrames: true, KeepsSixteenBits: true);
    public static readonly ImageFormat Heic = new("heic", "HEIC", MagickFormat.Heic, "heic", IsLossy: true, HasAlpha: true, HasFrames: false, IsOptional: true);
    public static readonly ImageFormat Avif = new("avif", "AVIF", MagickFormat.Avif, "avif", IsLossy: true, HasAlpha: true, HasFrames: false, IsOptional: true);
    public static readonly ImageFormat Jxl = new("jxl", "JXL", MagickFormat.Jxl, "jxl", IsLossy: true, HasAlpha: true, HasFrames: false);

    /// <summary>Every format on the allow-list.</summary>
    public static IReadOnlyList<ImageFormat> All { get; } = [Jpeg, Png, WebP, Gif, Bmp, Tiff, Heic, Avif, Jxl];

    /// <summary>The names a producer may give for an output format (the schema's enum).</summary>
    public static IReadOnlyList<string> RequestNames { get; } = ["png", "jpg", "jpeg", "webp", "gif", "bmp", "tiff", "tif", "avif", "heic", "jxl"];

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
        "JXL" => Jxl,
        _ => null,
    };

    public override string ToString() => Name;
}
