using System.Globalization;
using System.Text;

namespace MediaWorker.ComputeService.Uploads;

/// <summary>
/// Makes a client's file name safe to store as <c>input/&lt;name&gt;</c>. The seed stored the name
/// as sent; here it loses every folder part (both '/' and '\'), control and invisible formatting
/// characters (newlines, tabs, bidi overrides), surrounding spaces and dots, and is cut to
/// <see cref="MaxBytes"/> UTF-8 bytes keeping its extension. Nothing left: <c>upload</c>.
/// </summary>
public static class UploadName
{
    public const int MaxBytes = 200;
    private const int MaxExtensionChars = 16;
    private const string Fallback = "upload";

    public static string Sanitise(string clientName)
    {
        ArgumentNullException.ThrowIfNull(clientName);
        var last = clientName.Split('/', '\\')[^1];
        var kept = new StringBuilder(last.Length);
        foreach (var rune in last.EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            if (!Rune.IsControl(rune) && category is not (UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
                or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned))
            {
                kept.Append(rune.ToString());
            }
        }

        var name = kept.ToString().Trim().Trim('.').Trim();
        if (name.Length == 0)
        {
            return Fallback;
        }

        return Encoding.UTF8.GetByteCount(name) <= MaxBytes ? name : Shorten(name);
    }

    private static string Shorten(string name)
    {
        var extension = Path.GetExtension(name);
        if (extension.Length > MaxExtensionChars)
        {
            extension = string.Empty;
        }

        var stem = name[..^extension.Length];
        var budget = MaxBytes - Encoding.UTF8.GetByteCount(extension);
        var cut = new StringBuilder();
        var used = 0;
        foreach (var rune in stem.EnumerateRunes())
        {
            used += rune.Utf8SequenceLength;
            if (used > budget)
            {
                break;
            }

            cut.Append(rune.ToString());
        }

        var shortened = cut.ToString().TrimEnd().TrimEnd('.');
        return (shortened.Length == 0 ? Fallback : shortened) + extension;
    }
}
