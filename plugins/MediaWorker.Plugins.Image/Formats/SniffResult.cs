namespace MediaWorker.Plugins.Image.Formats;

/// <summary>What a file's first bytes say it is.</summary>
internal enum ContentKind
{
    /// <summary>An image in an allowed format (<see cref="SniffResult.Format"/>).</summary>
    Image,

    /// <summary>A video container ffmpeg can read (<see cref="SniffResult.Container"/>).</summary>
    Video,

    /// <summary>Anything else: never handed to ImageMagick.</summary>
    Refused,
}

/// <summary>The verdict of <see cref="FormatSniffer"/>.</summary>
/// <param name="Kind">Image, video or refused.</param>
/// <param name="Description">What the content is, for messages ("an SVG drawing", "JPEG").</param>
/// <param name="Format">The image format, for <see cref="ContentKind.Image"/>.</param>
/// <param name="Container">ffmpeg's demuxer name (<c>-f</c>), for <see cref="ContentKind.Video"/>.</param>
internal sealed record SniffResult(ContentKind Kind, string Description, ImageFormat? Format = null, string? Container = null)
{
    public static SniffResult Image(ImageFormat format) => new(ContentKind.Image, format.Coder, format);

    public static SniffResult Video(string container, string description) => new(ContentKind.Video, description, Container: container);

    public static SniffResult Refused(string description) => new(ContentKind.Refused, description);
}
