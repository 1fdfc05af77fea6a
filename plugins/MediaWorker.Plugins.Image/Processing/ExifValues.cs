using System.Globalization;

namespace MediaWorker.Plugins.Image.Processing;

/// <summary>Parses the text forms ImageMagick gives EXIF values: rationals ("28/10"), lists ("52/1, 31/1, 1234/100"), dates.</summary>
internal static class ExifValues
{
    /// <summary>A rational or plain number; <see langword="null"/> for "0/0" or text.</summary>
    public static double? Number(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var parts = text.Trim().Split('/');
        if (parts.Length == 1)
        {
            return double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var plain) ? plain : null;
        }

        if (parts.Length == 2
            && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var numerator)
            && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var denominator)
            && denominator != 0)
        {
            return numerator / denominator;
        }

        return null;
    }

    /// <summary>The first integer of a value such as "200" or "200, 400".</summary>
    public static int? FirstInteger(string? text) =>
        text?.Split(',', StringSplitOptions.TrimEntries)[0] is { } first && int.TryParse(first, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    /// <summary>Degrees, minutes, seconds ("52/1, 31/1, 1234/100") and a reference (N/S/E/W) as signed decimal degrees.</summary>
    public static double? Coordinate(string? dms, string? reference)
    {
        if (string.IsNullOrWhiteSpace(dms))
        {
            return null;
        }

        var parts = dms.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(Number).ToList();
        if (parts.Count is 0 or > 3 || parts.Any(p => p is null))
        {
            return null;
        }

        var degrees = parts[0]!.Value + (parts.Count > 1 ? parts[1]!.Value / 60 : 0) + (parts.Count > 2 ? parts[2]!.Value / 3600 : 0);
        var negative = reference?.Trim().ToUpperInvariant() is "S" or "W";
        return Math.Round(negative ? -degrees : degrees, 7);
    }

    /// <summary>EXIF's "yyyy:MM:dd HH:mm:ss" (plus an optional "+hh:mm" offset) as ISO 8601.</summary>
    public static string? Timestamp(string? text, string? offset)
    {
        if (text is null || !DateTime.TryParseExact(text.Trim(), "yyyy:MM:dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            return null;
        }

        var iso = local.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        return offset is not null && TimeSpan.TryParseExact(offset.Trim().TrimStart('+'), @"hh\:mm", CultureInfo.InvariantCulture, out _)
            ? iso + (offset.Trim().StartsWith('-') ? offset.Trim() : "+" + offset.Trim().TrimStart('+'))
            : iso;
    }
}
