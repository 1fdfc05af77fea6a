using System.Runtime.InteropServices;

namespace MediaWorker.Plugins.Image.Native;

/// <summary>
/// Copies strings out of ImageMagick. Two ownerships exist and must not be mixed up: strings the wand
/// API returns are the caller's (<see cref="TakeOwned"/> copies, then frees them with
/// <c>MagickRelinquishMemory</c>); strings inside an ExceptionInfo belong to it (<see cref="Borrow"/>
/// only copies).
/// </summary>
internal static class MagickStrings
{
    /// <summary>Copies and frees a <c>char*</c> the caller owns.</summary>
    public static string? TakeOwned(IntPtr text)
    {
        if (text == IntPtr.Zero)
        {
            return null;
        }

        try
        {
            return Marshal.PtrToStringUTF8(text);
        }
        finally
        {
            MagickWandApi.MagickRelinquishMemory(text);
        }
    }

    /// <summary>Copies and frees a <c>char**</c> of <paramref name="count"/> strings the caller owns.</summary>
    public static IReadOnlyList<string> TakeOwnedArray(IntPtr array, nuint count)
    {
        if (array == IntPtr.Zero)
        {
            return [];
        }

        var result = new List<string>((int)count);
        try
        {
            for (nuint i = 0; i < count; i++)
            {
                var item = Marshal.ReadIntPtr(array, checked((int)i * IntPtr.Size));
                if (TakeOwned(item) is { } text)
                {
                    result.Add(text);
                }
            }
        }
        finally
        {
            MagickWandApi.MagickRelinquishMemory(array);
        }

        return result;
    }

    /// <summary>Copies a <c>char*</c> that stays owned by ImageMagick.</summary>
    public static string? Borrow(IntPtr text) => text == IntPtr.Zero ? null : Marshal.PtrToStringUTF8(text);
}
