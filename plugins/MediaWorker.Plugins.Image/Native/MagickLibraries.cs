namespace MediaWorker.Plugins.Image.Native;

/// <summary>The shared objects this binding loads (Debian package libmagickwand-6.q16-6).</summary>
internal static class MagickLibraries
{
    /// <summary>The MagickWand API: wands, reading, writing, transforms.</summary>
    public const string Wand = "libMagickWand-6.Q16.so.6";

    /// <summary>MagickCore, for the exceptions coders record on an image rather than on the wand.</summary>
    public const string Core = "libMagickCore-6.Q16.so.6";

    /// <summary>The C library, for the <c>FILE*</c> streams ImageMagick reads from and writes to.</summary>
    public const string C = "libc";
}
