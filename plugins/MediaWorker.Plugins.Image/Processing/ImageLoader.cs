using System.Globalization;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.Image.Formats;
using MediaWorker.Plugins.Image.Native;
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

        if (sniffed.Format.IsOptional && !MagickRuntime.HasCoder(sniffed.Format.Coder))
        {
            throw new PermanentJobException(
                $"{input} is {sniffed.Format.Coder}, which this worker cannot read: ImageMagick has no {sniffed.Format.Coder} coder (it needs libheif). Convert it to JPEG or PNG first.");
        }

        return sniffed.Format;
    }

    /// <summary>Reads the header only: size as displayed, frame count, and the EXIF properties.</summary>
    public ImageWand Ping(InputFile input, out ImageFormat format)
    {
        format = RequireImage(input);
        CheckDeclaredSize(input, format);
        var wand = ImageWand.Create();
        try
        {
            wand.Ping(input.Handle, format.Coder);
            CheckSize(input, wand.Width, wand.Height, "has");
            if (wand.FrameCount > settings.MaxFrames)
            {
                throw new PermanentJobException($"{input} has {wand.FrameCount} frames, more than IMAGE_MAX_FRAMES={settings.MaxFrames}.");
            }

            return wand;
        }
        catch (MagickException ex)
        {
            wand.Dispose();
            throw ImageFailures.Decoding(ex, input, format.Coder);
        }
        catch
        {
            wand.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Decodes the image upright. <paramref name="decodeSize"/> maps the displayed size to the smallest
    /// size the caller needs (for the JPEG shrink-on-load hint), or is <see langword="null"/> for full size.
    /// </summary>
    public LoadedImage Load(InputFile input, OperationGuard guard, Func<int, int, (int Width, int Height)?>? decodeSize = null)
    {
        ArgumentNullException.ThrowIfNull(guard);
        int width, height, frames;
        ImageFormat format;
        bool swapped;
        using (var ping = Ping(input, out format))
        {
            swapped = ping.Orientation >= OrientationType.LeftTopOrientation;
            (width, height) = swapped ? (ping.Height, ping.Width) : (ping.Width, ping.Height);
            frames = ping.FrameCount;
        }

        var wand = ImageWand.Create(guard);
        try
        {
            if (format == ImageFormat.Jpeg && decodeSize?.Invoke(width, height) is { } needed)
            {
                // libjpeg decodes at 1/2, 1/4 or 1/8 scale when the hint allows it; the hint is in stored (unrotated) pixels.
                var (w, h) = swapped ? (needed.Height, needed.Width) : (needed.Width, needed.Height);
                wand.SetOption("jpeg:size", string.Create(CultureInfo.InvariantCulture, $"{w}x{h}"));
            }

            wand.Read(input.Handle, format.Coder);
            wand.ForEachFrame(frame => frame.AutoOrient());
            return new LoadedImage(wand, format, width, height, frames);
        }
        catch (MagickException ex)
        {
            wand.Dispose();
            throw ImageFailures.Decoding(ex, input, format.Coder);
        }
        catch (TimeoutException ex)
        {
            wand.Dispose();
            throw ImageFailures.TimedOut(ex, input);
        }
        catch
        {
            wand.Dispose();
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
