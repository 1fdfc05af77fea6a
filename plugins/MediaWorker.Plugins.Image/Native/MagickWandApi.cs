using System.Runtime.InteropServices;

namespace MediaWorker.Plugins.Image.Native;

/// <summary>
/// Declarations of the MagickWand C functions this plugin calls, under their C names
/// (wand/MagickWand.h, wand/magick-image.h, wand/magick-property.h, wand/pixel-wand.h).
/// </summary>
/// <remarks>
/// Ownership: every <c>char*</c> or <c>char**</c> these functions return is the caller's and must be
/// given back with <see cref="MagickRelinquishMemory"/> (see <see cref="MagickStrings"/>), so they are
/// declared as <see cref="IntPtr"/>, never as <see cref="string"/>. <c>MagickBooleanType</c> is a C enum
/// (int): <see cref="UnmanagedType.Bool"/>.
/// </remarks>
internal static unsafe partial class MagickWandApi
{
    [LibraryImport(MagickLibraries.Wand)]
    public static partial void MagickWandGenesis();

    [LibraryImport(MagickLibraries.Wand)]
    public static partial MagickWandHandle NewMagickWand();

    [LibraryImport(MagickLibraries.Wand)]
    public static partial IntPtr DestroyMagickWand(IntPtr wand);

    [LibraryImport(MagickLibraries.Wand)]
    public static partial IntPtr MagickGetException(MagickWandHandle wand, out ExceptionType severity);

    [LibraryImport(MagickLibraries.Wand)]
    public static partial ExceptionType MagickGetExceptionType(MagickWandHandle wand);

    [LibraryImport(MagickLibraries.Wand)]
    [return: MarshalAs(UnmanagedType.Bool)]
    public static partial bool MagickClearException(MagickWandHandle wand);

    [LibraryImport(MagickLibraries.Wand)]
    public static partial IntPtr MagickRelinquishMemory(IntPtr memory);

    [LibraryImport(MagickLibraries.Wand)]
    [return: MarshalAs(UnmanagedType.Bool)]
    public static partial bool MagickSetResourceLimit(ResourceType type, ulong limit);

    [LibraryImport(MagickLibraries.Wand)]
    public static partial ulong MagickGetResourceLimit(ResourceType type);

    [LibraryImport(MagickLibraries.Wand, StringMarshalling = StringMarshalling.Utf8)]
    public static partial IntPtr MagickQueryFormats(string pattern, out nuint count);

    [LibraryImport(MagickLibraries.Wand)]
    public static partial IntPtr GetImageFromMagickWand(MagickWandHandle wand);

    [LibraryImport(MagickLibraries.Wand, StringMarshalling = StringMarshalling.Utf8)]
    [return: MarshalAs(UnmanagedType.Bool)]
    public static partial bool MagickSetFilename(MagickWandHandle wand, string filename);

    [LibraryImport(MagickLibraries.Wand, StringMarshalling = StringMarshalling.Utf8)]
    [return: MarshalAs(UnmanagedType.Bool)]
    public static partial bool MagickSetOption(MagickWandHandle wand, string key, string value);

    [LibraryImport(MagickLibraries.Wand)]
    public static partial IntPtr MagickSetProgressMonitor(
        MagickWandHandle wand, delegate* unmanaged[Cdecl]<byte*, long, ulong, IntPtr, int> monitor, IntPtr clientData);

    [LibraryImport(MagickLibraries.Wand)]
    [return: MarshalAs(UnmanagedType.Bool)]
    public static partial bool MagickPingImageFile(MagickWandHandle wand, CFileHandle file);

    [LibraryImport(MagickLibraries.Wand)]
    [return: MarshalAs(UnmanagedType.Bool)]
    public static partial bool MagickReadImageFile(MagickWandHandle wand, CFileHandle file);

    [LibraryImport(MagickLibraries.Wand)]
    [return: MarshalAs(UnmanagedType.Bool)]
    public static partial bool MagickWriteImageFile(MagickWandHandle wand, CFileHandle file);

    [LibraryImport(MagickLibraries.Wand)]
    [return: MarshalAs(UnmanagedType.Bool)]
    public static partial bool MagickWriteImagesFile(MagickWandHandle wand, CFileHandle file);

    [LibraryImport(MagickLibraries.Wand)]
    public static partial IntPtr MagickGetImageBlob(MagickWandHandle wand, out nuint length);

    [LibraryImport(MagickLibraries.Wand)]
    [return: MarshalAs(UnmanagedType.Bool)]
    public static partial bool MagickNewImage(MagickWandHandle wand, nuint columns, nuint rows, PixelWandHandle background);

    [LibraryImport(MagickLibraries.Wand)]
    public static partial nuint MagickGetImageWidth(MagickWandHandle wand);

    [LibraryImport(MagickLibraries.Wand)]
    public static partial nuint MagickGetImageHeight(MagickWandHandle wand);

    [LibraryImport(MagickLibraries.Wand)]
    public static partial nuint MagickGetNumberImages(MagickWandHandle wand);

    [LibraryImport(MagickLibraries.Wand)]
    [return: MarshalAs(UnmanagedType.Bool)]
    public static partial bool MagickSetIteratorIndex(MagickWandHandle wand, nint index);

    [LibraryImport(MagickLibraries.Wand)]
    public static partial void MagickResetIterator(MagickWandHandle wand);

    [LibraryImport(MagickLibraries.Wand)]
    public static partial IntPtr MagickGetImageFormat(MagickWandHandle wand);

    [LibraryImport(MagickLibraries.Wand)]
    public static partial OrientationType MagickGetImageOrientation(MagickWandHandle wand);

    [LibraryImport(MagickLibraries.Wand)]
    public static partial ColorspaceType MagickGetImageColorspace(MagickWandHandle wand);

    [LibraryImport(MagickLibraries.Wand)]
    [return: MarshalAs(UnmanagedType.Bool)]
    public static partial bool MagickGetImageAlphaChannel(MagickWandHandle wand);

    [LibraryImport(MagickLibraries.Wand)]
    [return: MarshalAs(UnmanagedType.Bool)]
    public static partial bool MagickAutoOrientImage(MagickWandHandle wand);

    [LibraryImport(MagickLibraries.Wand)]
    [return: MarshalAs(UnmanagedType.Bool)]
    public static partial bool MagickResizeImage(MagickWandHandle wand, nuint columns, nuint rows, FilterType filter, double blur);

    [LibraryImport(MagickLibraries.Wand)]
    [return: MarshalAs(UnmanagedType.Bool)]
    public static partial bool MagickSampleImage(MagickWandHandle wand, nuint columns, nuint rows);

    [LibraryImport(MagickLibraries.Wand)]
    [return: MarshalAs(UnmanagedType.Bool)]
    public static partial bool MagickCropImage(MagickWandHandle wand, nuint width, nuint height, nint x, nint y);

    [LibraryImport(MagickLibraries.Wand)]
    [return: MarshalAs(UnmanagedType.Bool)]
    public static partial bool MagickSetImagePage(MagickWandHandle wand, nuint width, nuint height, nint x, nint y);

    [LibraryImport(MagickLibraries.Wand)]
    [return: MarshalAs(UnmanagedType.Bool)]
    public static partial bool MagickStripImage(MagickWandHandle wand);

    [LibraryImport(MagickLibraries.Wand)]
    public static partial MagickWandHandle MagickCoalesceImages(MagickWandHandle wand);

    [LibraryImport(MagickLibraries.Wand, StringMarshalling = StringMarshalling.Utf8)]
    [return: MarshalAs(UnmanagedType.Bool)]
    public static partial bool MagickSetImageFormat(MagickWandHandle wand, string format);

    [LibraryImport(MagickLibraries.Wand)]
    [return: MarshalAs(UnmanagedType.Bool)]
    public static partial bool MagickSetImageCompressionQuality(MagickWandHandle wand, nuint quality);

    [LibraryImport(MagickLibraries.Wand)]
    [return: MarshalAs(UnmanagedType.Bool)]
    public static partial bool MagickSetImageCompression(MagickWandHandle wand, CompressionType compression);

    [LibraryImport(MagickLibraries.Wand)]
    [return: MarshalAs(UnmanagedType.Bool)]
    public static partial bool MagickSetImageBackgroundColor(MagickWandHandle wand, PixelWandHandle background);

    [LibraryImport(MagickLibraries.Wand)]
    [return: MarshalAs(UnmanagedType.Bool)]
    public static partial bool MagickSetImageAlphaChannel(MagickWandHandle wand, AlphaChannelType alpha);

    [LibraryImport(MagickLibraries.Wand)]
    [return: MarshalAs(UnmanagedType.Bool)]
    public static partial bool MagickTransformImageColorspace(MagickWandHandle wand, ColorspaceType colorspace);

    [LibraryImport(MagickLibraries.Wand, StringMarshalling = StringMarshalling.Utf8)]
    public static partial IntPtr MagickGetImageProperties(MagickWandHandle wand, string pattern, out nuint count);

    [LibraryImport(MagickLibraries.Wand, StringMarshalling = StringMarshalling.Utf8)]
    public static partial IntPtr MagickGetImageProperty(MagickWandHandle wand, string property);

    [LibraryImport(MagickLibraries.Wand, StringMarshalling = StringMarshalling.Utf8)]
    [return: MarshalAs(UnmanagedType.Bool)]
    public static partial bool MagickExportImagePixels(
        MagickWandHandle wand, nint x, nint y, nuint columns, nuint rows, string map, StorageType storage, void* pixels);

    [LibraryImport(MagickLibraries.Wand)]
    public static partial PixelWandHandle NewPixelWand();

    [LibraryImport(MagickLibraries.Wand)]
    public static partial IntPtr DestroyPixelWand(IntPtr wand);

    [LibraryImport(MagickLibraries.Wand, StringMarshalling = StringMarshalling.Utf8)]
    [return: MarshalAs(UnmanagedType.Bool)]
    public static partial bool PixelSetColor(PixelWandHandle wand, string color);
}
