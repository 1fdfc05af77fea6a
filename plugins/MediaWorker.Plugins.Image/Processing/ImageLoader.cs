using System.Globalization;
using ImageMagick;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.Image.Formats;
using MediaWorker.Plugins.Image.Magick;
using MediaWorker.Plugins.Image.Settings;

namespace MediaWorker.Plugins.Image.Processing;

/// <summary>
/// Decodes an input image safely: the allow-list (by content), the declared-size check against the
/// limits, a header-only ping, then the decode with the coder named and, for JPEG, the shrink-on-load
/// hint, and finally the EXIF orientation applied.
/// </summary>
internal sealed class ImageLoader(ImageSettings settings)
{
    private static readonly string AllowedList = string.Join(", ", ImageFormat.All.Select(f => f.Coder));

    /// <summary>
    /// Returns the input's format, or throws a <see cref="PermanentJobException"/> naming what the file
    /// really is when it is not an allowed image.
    /// </summary>
    public static ImageFormat RequireImage(InputFile input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var sniffed = input.Sniffed;
        if (sniffed.Kind != ContentKind.Image || sniffed.Format is null)
        {
            throw new PermanentJobException(
                $"{input} is not an image in an allowed format: its content is {sniffed.Description} (judged by its bytes, not its name). Allowed: {AllowedList}.");
        }

        return sniffed.Format;
    }

    /// <summary>Reads the headers only: size as displayed, frame count, orientation and (when asked) the EXIF properties.</summary>
    public ImageHeader Ping(InputFile input, bool withExif = false)
    {
        var format = RequireImage(input);
        CheckDeclaredSize(input, format);
        try
        {
            using var images = MagickReader.Ping(input.Handle, format);
            var first = images[0];
            var orientation = first.Orientation is >= Orientation.TopLeft and <= Orientation.LeftBottom ? (int)first.Orientation : 0;
            var (width, height) = orientation >= 5 ? ((int)first.Height, (int)first.Width) : ((int)first.Width, (int)first.Height);
            CheckSize(input, width, height, "has");
            if (images.Count > settings.MaxFrames)
            {
                throw new PermanentJobException($"{input} has {images.Count} frames, more than IMAGE_MAX_FRAMES={settings.MaxFrames}.");
            }

            return new ImageHeader(format, width, height, images.Count, orientation, withExif ? ExifProperties(first) : new Dictionary<string, string>());
        }
        catch (Exception ex) when (ex is MagickException or ImageReadWarningException)
        {
            throw ImageFailures.Decoding(ex, input, format.Coder, settings);
        }
    }

    /// <summary>
    /// Decodes the image upright. <paramref name="decodeSize"/> maps the displayed size to the smallest
    /// size the caller needs (for the JPEG shrink-on-load hint), or is <see langword="null"/> for full size.
    /// </summary>
    /// <param name="input">The opened input.</param>
    /// <param name="guard">Stops the work on cancellation or when the time limit passes.</param>
    /// <param name="firstFrameOnly">Decode the first frame only (the output keeps no more).</param>
    /// <param name="decodeSize">The size needed, from the displayed size.</param>
    public LoadedImage Load(InputFile input, OperationGuard guard, bool firstFrameOnly, Func<int, int, (int Width, int Height)?>? decodeSize = null)
    {
        ArgumentNullException.ThrowIfNull(guard);
        var header = Ping(input);
        var format = header.Format;
        (int, int)? jpegSize = null;
        if (format == ImageFormat.Jpeg && decodeSize?.Invoke(header.Width, header.Height) is { } needed && needed.Width < header.Width && needed.Height < header.Height)
        {
            // Only for a downscale: ImageMagick 7 would also use libjpeg's DCT scaling to enlarge, in place
            // of the Lanczos filter. The hint is in stored (unrotated) pixels.
            jpegSize = header.IsTurned ? (needed.Height, needed.Width) : (needed.Width, needed.Height);
        }

        MagickImageCollection? images = null;
        try
        {
            guard.ThrowIfStopped();
            images = MagickReader.Decode(input.Handle, format, firstFrameOnly || header.Frames == 1, jpegSize);
            guard.ThrowIfStopped();
            guard.Watch(images);
            var depth = (int)images[0].Depth;
            foreach (var image in images)
            {
                image.AutoOrient();
                guard.ThrowIfStopped();
            }

            return new LoadedImage(images, format, header.Width, header.Height, header.Frames, depth);
        }
        catch (Exception ex) when (ex is MagickException or ImageReadWarningException)
        {
            images?.Dispose();
            throw ImageFailures.Decoding(ex, input, format.Coder, settings);
        }
        catch (TimeoutException ex)
        {
            images?.Dispose();
            throw ImageFailures.TimedOut(ex, input);
        }
        catch
        {
            images?.Dispose();
            throw;
        }
    }

    /// <summary>Refuses a resize whose result would exceed the same limits as an input.</summary>
    public void CheckResultSize(long width, long height)
    {
        if (width > settings.MaxWidth || height > settings.MaxHeight || width * height > settings.MaxAreaPixels)
        {
            throw new PermanentJobException(string.Create(CultureInfo.InvariantCulture,
                $"The result would be {width}x{height} pixels ({width * height / 1e6:0.#} megapixels), more than this worker makes (IMAGE_MAX_WIDTH={settings.MaxWidth}, IMAGE_MAX_HEIGHT={settings.MaxHeight}, IMAGE_MAX_AREA_MP={settings.MaxAreaMegapixels}); ask for a smaller size."));
        }
    }

    private static Dictionary<string, string> ExifProperties(IMagickImage<byte> image)
    {
        // ImageMagick turns the EXIF profile into exif:* properties only when one of them is asked for.
        _ = image.GetAttribute("exif:*");
        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in image.AttributeNames.Where(n => n.StartsWith("exif:", StringComparison.Ordinal)))
        {
            if (image.GetAttribute(name) is { } value)
            {
                properties[name] = value;
            }
        }

        return properties;
    }

    private void CheckDeclaredSize(InputFile input, ImageFormat format)
    {
        if (DeclaredSize.Read(input.Head, format) is { } size)
        {
            CheckSize(input, size.Width, size.Height, "declares");
        }
    }

    private void CheckSize(InputFile input, long width, long height, string verb)
    {
        if (width <= 0 || height <= 0)
        {
            throw new PermanentJobException($"{input} {verb} an image of {width}x{height} pixels, which is not a valid size; the file is damaged.");
        }

        var area = width * height;
        if (width > settings.MaxWidth || height > settings.MaxHeight || area > settings.MaxAreaPixels)
        {
            throw new PermanentJobException(string.Create(CultureInfo.InvariantCulture,
                $"{input} {verb} {width}x{height} pixels ({area / 1e6:0.#} megapixels), more than this worker accepts (IMAGE_MAX_WIDTH={settings.MaxWidth}, IMAGE_MAX_HEIGHT={settings.MaxHeight}, IMAGE_MAX_AREA_MP={settings.MaxAreaMegapixels}); it may be a decompression bomb. Shrink it before submitting, or raise the limits."));
        }
    }
}
