namespace MediaWorker.Plugins.Image.Magick;

/// <summary>
/// ImageMagick warned while reading (for example "Premature end of JPEG file"): the decode
/// "succeeded" but the picture may be partly grey, so the read counts as failed.
/// </summary>
internal sealed class ImageReadWarningException : Exception
{
    public ImageReadWarningException()
    {
    }

    public ImageReadWarningException(string message)
        : base(message)
    {
    }

    public ImageReadWarningException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
