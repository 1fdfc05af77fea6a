using System.Text.RegularExpressions;

namespace MediaWorker.Plugins.Image.Native;

/// <summary>
/// The one place that turns ImageMagick's failures into <see cref="MagickException"/>s with readable
/// messages: from the wand (<c>MagickGetException</c>, its string freed with
/// <c>MagickRelinquishMemory</c>) and from the images (<c>GetImageException</c>, where IM6 coders
/// record warnings such as a truncated JPEG).
/// </summary>
internal static partial class MagickErrors
{
    private const string NoReason =
        "ImageMagick gave no reason (this usually means a resource limit or a rule in ImageMagick's policy.xml refused the image)";

    /// <summary>Throws the wand's exception when <paramref name="succeeded"/> is false.</summary>
    public static void Check(bool succeeded, MagickWandHandle wand, string operation)
    {
        if (!succeeded)
        {
            throw FromWand(wand, operation);
        }
    }

    /// <summary>Reads, clears and returns the wand's exception.</summary>
    public static MagickException FromWand(MagickWandHandle wand, string operation)
    {
        var text = MagickStrings.TakeOwned(MagickWandApi.MagickGetException(wand, out var severity));
        MagickWandApi.MagickClearException(wand);
        return new MagickException(operation, severity, Clean(text));
    }

    /// <summary>
    /// After a read that reported success: throws when the wand or any image recorded a corrupt-image
    /// warning or an error (a truncated file decodes "successfully" into a partly grey image), and
    /// clears harmless warnings.
    /// </summary>
    public static void ThrowIfDamaged(MagickWandHandle wand, string operation)
    {
        var wandSeverity = MagickWandApi.MagickGetExceptionType(wand);
        if (IsDamage(wandSeverity))
        {
            throw FromWand(wand, operation);
        }

        MagickWandApi.MagickClearException(wand);
        var image = MagickWandApi.GetImageFromMagickWand(wand);
        if (image == IntPtr.Zero)
        {
            throw new MagickException(operation, ExceptionType.CorruptImageError, "the file holds no image");
        }

        using var info = MagickCoreApi.AcquireExceptionInfo();
        MagickCoreApi.GetImageException(image, info);
        var head = System.Runtime.InteropServices.Marshal.PtrToStructure<ExceptionInfoHead>(info.DangerousGetHandle());
        if (IsDamage(head.Severity))
        {
            var reason = MagickStrings.Borrow(head.Reason);
            var description = MagickStrings.Borrow(head.Description);
            throw new MagickException(operation, head.Severity, Clean(description is null ? reason : $"{reason} ({description})"));
        }
    }

    /// <summary>Strips IM's source locations (" @ error/jpeg.c/ReadJPEGImage/1174") and empty filename quotes.</summary>
    internal static string Clean(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return NoReason;
        }

        var cleaned = SourceLocation().Replace(text, string.Empty);
        cleaned = EmptyQuote().Replace(cleaned, string.Empty).Trim();
        return cleaned.Length == 0 ? NoReason : cleaned;
    }

    private static bool IsDamage(ExceptionType severity) =>
        severity == ExceptionType.CorruptImageWarning || severity >= ExceptionType.ErrorException;

    [GeneratedRegex(@"\s*@\s*(error|warning|fatal)/\S+", RegexOptions.CultureInvariant)]
    private static partial Regex SourceLocation();

    [GeneratedRegex(@"\s*`'", RegexOptions.CultureInvariant)]
    private static partial Regex EmptyQuote();
}
