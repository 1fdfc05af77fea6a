using ImageMagick;
using ImageMagick.Formats;
using MediaWorker.Plugins.Image.Formats;
using Microsoft.Win32.SafeHandles;

namespace MediaWorker.Plugins.Image.Magick;

/// <summary>
/// The one place images are read: through the plugin's own file handle (never a path), with the
/// coder named explicitly from the sniffed magic bytes, and any warning ImageMagick raises during the
/// read turned into a failure (Magick.NET only reports a truncated JPEG as a warning event).
/// </summary>
internal static class MagickReader
{
    /// <summary>Reads the headers only: every frame's size, the orientation and the metadata; no pixels.</summary>
    public static MagickImageCollection Ping(SafeFileHandle file, ImageFormat format)
    {
        ArgumentNullException.ThrowIfNull(format);
        return Read(file, new MagickReadSettings { Format = format.Magick }, ping: true);
    }

    /// <summary>Decodes the file.</summary>
    /// <param name="file">The open input.</param>
    /// <param name="format">The sniffed format; its coder is the only one ImageMagick may use.</param>
    /// <param name="firstFrameOnly">Decode only the first frame (the output cannot hold more).</param>
    /// <param name="jpegSize">For JPEG: the smallest stored size needed, so libjpeg decodes at 1/2, 1/4 or 1/8 scale.</param>
    public static MagickImageCollection Decode(SafeFileHandle file, ImageFormat format, bool firstFrameOnly, (int Width, int Height)? jpegSize)
    {
        ArgumentNullException.ThrowIfNull(format);
        var settings = new MagickReadSettings { Format = format.Magick };
        if (firstFrameOnly)
        {
            settings.FrameIndex = 0;
            settings.FrameCount = 1;
        }

        if (format == ImageFormat.Jpeg && jpegSize is { } size)
        {
            settings.SetDefines(new JpegReadDefines { Size = new MagickGeometry((uint)size.Width, (uint)size.Height) });
        }

        return Read(file, settings, ping: false);
    }

    private static MagickImageCollection Read(SafeFileHandle file, MagickReadSettings settings, bool ping)
    {
        var images = new MagickImageCollection();
        List<string>? warnings = null;
        void OnWarning(object? sender, WarningEventArgs e) => (warnings ??= []).Add(e.Message);
        images.Warning += OnWarning;
        try
        {
            using var stream = new FileHandleStream(file);
            if (ping)
            {
                images.Ping(stream, settings);
            }
            else
            {
                images.Read(stream, settings);
            }

            if (warnings is not null)
            {
                throw new ImageReadWarningException(string.Join("; ", warnings.Distinct(StringComparer.Ordinal).Select(MagickMessages.Clean)));
            }

            if (images.Count == 0)
            {
                throw new ImageReadWarningException("the file holds no image");
            }

            return images;
        }
        catch
        {
            images.Dispose();
            throw;
        }
        finally
        {
            images.Warning -= OnWarning;
        }
    }
}
