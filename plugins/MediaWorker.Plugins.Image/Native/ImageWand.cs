using Microsoft.Win32.SafeHandles;
using static MediaWorker.Plugins.Image.Native.MagickWandApi;

namespace MediaWorker.Plugins.Image.Native;

/// <summary>
/// The thin wrapper over one <c>MagickWand</c>: each method is one native call, checked. Files are
/// passed as descriptors the plugin opened and the coder is always named, so ImageMagick never picks a
/// coder from a file's content or parses a path (no <c>msl:</c>, <c>[0]</c> or <c>%d</c> tricks).
/// </summary>
/// <remarks>Not thread-safe: one wand is used by one job on one thread.</remarks>
internal sealed class ImageWand : IDisposable
{
    private readonly MagickWandHandle _handle;
    private readonly OperationGuard? _guard;

    private ImageWand(MagickWandHandle handle, OperationGuard? guard)
    {
        if (handle.IsInvalid)
        {
            handle.Dispose();
            throw new MagickException("Creating a wand", ExceptionType.ResourceLimitError, "ImageMagick could not allocate a wand");
        }

        _handle = handle;
        _guard = guard;
    }

    /// <summary>Creates an empty wand whose work stops when <paramref name="guard"/> says so.</summary>
    public static ImageWand Create(OperationGuard? guard = null)
    {
        MagickRuntime.EnsureStarted();
        var wand = new ImageWand(NewMagickWand(), guard);
        guard?.Attach(wand._handle);
        return wand;
    }

    /// <summary>Creates a one-image wand of a plain colour (used to probe encoders).</summary>
    public static ImageWand CreateBlank(int width, int height, string color)
    {
        var wand = Create();
        using var pixel = Color(color);
        wand.Check(MagickNewImage(wand._handle, (nuint)width, (nuint)height, pixel), "Creating an image");
        return wand;
    }

    /// <summary>The current image's width in pixels.</summary>
    public int Width => checked((int)MagickGetImageWidth(_handle));

    /// <summary>The current image's height in pixels.</summary>
    public int Height => checked((int)MagickGetImageHeight(_handle));

    /// <summary>How many images (frames, pages) the wand holds.</summary>
    public int FrameCount => checked((int)MagickGetNumberImages(_handle));

    /// <summary>The current image's EXIF orientation as ImageMagick read it.</summary>
    public OrientationType Orientation => MagickGetImageOrientation(_handle);

    /// <summary>The current image's colourspace.</summary>
    public ColorspaceType Colorspace => MagickGetImageColorspace(_handle);

    /// <summary>Whether the current image has an alpha channel.</summary>
    public bool HasAlpha => MagickGetImageAlphaChannel(_handle);

    /// <summary>The current image's coder name, e.g. "JPEG".</summary>
    public string? Format => MagickStrings.TakeOwned(MagickGetImageFormat(_handle));

    /// <summary>Sets a coder option such as <c>jpeg:size</c> before reading.</summary>
    public void SetOption(string key, string value) => Check(MagickSetOption(_handle, key, value), $"Setting option '{key}'");

    /// <summary>Reads only the headers (size, frames, orientation, metadata) with the named coder.</summary>
    public void Ping(SafeFileHandle file, string coder)
    {
        Check(MagickSetFilename(_handle, coder + ":"), "Naming the coder");
        using var stream = CFileHandle.Open(file, "rb");
        Check(MagickPingImageFile(_handle, stream), "Reading the image header");
        MagickErrors.ThrowIfDamaged(_handle, "Reading the image header");
    }

    /// <summary>Decodes the file with the named coder; a damaged file throws even when ImageMagick would carry on.</summary>
    public void Read(SafeFileHandle file, string coder)
    {
        Check(MagickSetFilename(_handle, coder + ":"), "Naming the coder");
        using var stream = CFileHandle.Open(file, "rb");
        Check(MagickReadImageFile(_handle, stream), "Decoding the image");
        _guard?.ThrowIfStopped();
        MagickErrors.ThrowIfDamaged(_handle, "Decoding the image");
    }

    /// <summary>Encodes the current image, or every image when <paramref name="allFrames"/>, into the open file.</summary>
    public void Write(SafeFileHandle file, bool allFrames)
    {
        using var stream = CFileHandle.Open(file, "wb");
        Check(allFrames ? MagickWriteImagesFile(_handle, stream) : MagickWriteImageFile(_handle, stream), "Encoding the image");
        stream.CloseChecked();
    }

    /// <summary>Encodes the current image into memory.</summary>
    public byte[] ToBlob()
    {
        var blob = MagickGetImageBlob(_handle, out var length);
        if (blob == IntPtr.Zero)
        {
            throw MagickErrors.FromWand(_handle, "Encoding the image");
        }

        try
        {
            var bytes = new byte[checked((int)length)];
            System.Runtime.InteropServices.Marshal.Copy(blob, bytes, 0, bytes.Length);
            return bytes;
        }
        finally
        {
            MagickRelinquishMemory(blob);
        }
    }

    /// <summary>Makes frame <paramref name="index"/> current.</summary>
    public void SelectFrame(int index) => Check(MagickSetIteratorIndex(_handle, index), $"Selecting frame {index}");

    /// <summary>Runs <paramref name="action"/> with each frame current in turn, then selects the first again.</summary>
    public void ForEachFrame(Action<ImageWand> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var count = FrameCount;
        for (var i = 0; i < count; i++)
        {
            SelectFrame(i);
            action(this);
        }

        SelectFrame(0);
    }

    /// <summary>Rotates/flips the current image upright per its EXIF orientation and resets the tag.</summary>
    public void AutoOrient() => Check(MagickAutoOrientImage(_handle), "Applying the EXIF orientation");

    /// <summary>Resamples the current image with a filter.</summary>
    public void Resize(int width, int height, FilterType filter) =>
        Check(MagickResizeImage(_handle, (nuint)width, (nuint)height, filter, 1.0), $"Resizing to {width}x{height}");

    /// <summary>Point-samples the current image (fast, aliased: the first step of a large reduction).</summary>
    public void Sample(int width, int height) => Check(MagickSampleImage(_handle, (nuint)width, (nuint)height), $"Sampling to {width}x{height}");

    /// <summary>Crops the current image and forgets the crop's offset.</summary>
    public void Crop(int width, int height, int x, int y)
    {
        Check(MagickCropImage(_handle, (nuint)width, (nuint)height, x, y), $"Cropping to {width}x{height}+{x}+{y}");
        ResetPage();
    }

    /// <summary>Clears the current image's virtual canvas (page) so it is written at its own size.</summary>
    public void ResetPage() => Check(MagickSetImagePage(_handle, 0, 0, 0, 0), "Resetting the page geometry");

    /// <summary>Removes profiles (EXIF, ICC, XMP) and comments from the current image.</summary>
    public void Strip() => Check(MagickStripImage(_handle), "Stripping metadata");

    /// <summary>Returns a new wand of full-canvas frames (animation frames composed over their predecessors).</summary>
    public ImageWand Coalesce()
    {
        var coalesced = MagickCoalesceImages(_handle);
        _guard?.ThrowIfStopped();
        if (coalesced.IsInvalid)
        {
            coalesced.Dispose();
            throw MagickErrors.FromWand(_handle, "Coalescing animation frames");
        }

        return new ImageWand(coalesced, _guard);
    }

    /// <summary>Chooses the coder the current image is encoded with.</summary>
    public void SetFormat(string coder) => Check(MagickSetImageFormat(_handle, coder), $"Choosing the {coder} encoder");

    /// <summary>Sets the current image's compression quality (1-100).</summary>
    public void SetQuality(int quality) => Check(MagickSetImageCompressionQuality(_handle, (nuint)quality), "Setting the quality");

    /// <summary>Sets the current image's compression.</summary>
    public void SetCompression(CompressionType compression) => Check(MagickSetImageCompression(_handle, compression), "Setting the compression");

    /// <summary>Composes the current image over a colour and drops its alpha channel.</summary>
    public void RemoveAlpha(string background)
    {
        using var color = Color(background);
        Check(MagickSetImageBackgroundColor(_handle, color), "Setting the background colour");
        Check(MagickSetImageAlphaChannel(_handle, AlphaChannelType.RemoveAlphaChannel), "Flattening the alpha channel");
    }

    /// <summary>Converts the current image's pixels to another colourspace.</summary>
    public void TransformColorspace(ColorspaceType colorspace) =>
        Check(MagickTransformImageColorspace(_handle, colorspace), $"Converting to {colorspace}");

    /// <summary>The current image's properties whose names match a glob, e.g. <c>exif:*</c>.</summary>
    public IReadOnlyDictionary<string, string> GetProperties(string pattern)
    {
        var names = MagickStrings.TakeOwnedArray(MagickGetImageProperties(_handle, pattern, out var count), count);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            if (MagickStrings.TakeOwned(MagickGetImageProperty(_handle, name)) is { } value)
            {
                result[name] = value;
            }
        }

        return result;
    }

    /// <summary>Copies the current image's pixels out as bytes, one per channel in <paramref name="map"/> (e.g. "I" for intensity).</summary>
    public unsafe byte[] ExportPixels(int width, int height, string map)
    {
        var pixels = new byte[checked(width * height * map.Length)];
        fixed (byte* p = pixels)
        {
            Check(MagickExportImagePixels(_handle, 0, 0, (nuint)width, (nuint)height, map, StorageType.CharPixel, p), "Exporting pixels");
        }

        return pixels;
    }

    public void Dispose() => _handle.Dispose();

    private static PixelWandHandle Color(string color)
    {
        var pixel = NewPixelWand();
        if (pixel.IsInvalid || !PixelSetColor(pixel, color))
        {
            pixel.Dispose();
            throw new MagickException("Parsing a colour", ExceptionType.OptionError, $"'{color}' is not a colour ImageMagick knows");
        }

        return pixel;
    }

    private void Check(bool succeeded, string operation)
    {
        // A stop requested through the progress monitor surfaces as a failed (or truncated) call: report the stop, not the symptom.
        _guard?.ThrowIfStopped();
        MagickErrors.Check(succeeded, _handle, operation);
    }
}
