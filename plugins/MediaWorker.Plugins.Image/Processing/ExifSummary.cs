using System.Text.Json.Nodes;

namespace MediaWorker.Plugins.Image.Processing;

/// <summary>
/// Builds the <c>exif</c> task's output from ImageMagick's <c>exif:*</c> properties: the common fields
/// normalised (make, model, capture time, dimensions, orientation, ISO, exposure, GPS in decimal
/// degrees), plus the raw key/value map.
/// </summary>
internal static class ExifSummary
{
    /// <summary>The sections a job may ask for (the schema's enum for <c>tags</c>).</summary>
    public static IReadOnlyList<string> Sections { get; } = ["make", "model", "capture_time", "dimensions", "orientation", "iso", "exposure", "gps", "raw"];

    /// <param name="properties">The <c>exif:*</c> properties, keys with their prefix.</param>
    /// <param name="width">The width as displayed.</param>
    /// <param name="height">The height as displayed.</param>
    /// <param name="orientation">1-8, or 0 when unknown.</param>
    /// <param name="sections">The sections to include; empty for all.</param>
    public static JsonObject Build(IReadOnlyDictionary<string, string> properties, int width, int height, int orientation, IReadOnlyCollection<string> sections)
    {
        ArgumentNullException.ThrowIfNull(properties);
        ArgumentNullException.ThrowIfNull(sections);
        var raw = properties.Where(p => p.Key.StartsWith("exif:", StringComparison.Ordinal))
            .ToDictionary(p => p.Key["exif:".Length..], p => p.Value.Trim(), StringComparer.Ordinal);
        string? Get(string key) => raw.TryGetValue(key, out var v) && v.Length > 0 ? v : null;

        var result = new JsonObject();
        bool Wants(string section) => sections.Count == 0 || sections.Contains(section);
        if (Wants("make"))
        {
            result["make"] = Get("Make");
        }

        if (Wants("model"))
        {
            result["model"] = Get("Model");
        }

        if (Wants("capture_time"))
        {
            result["capture_time"] = ExifValues.Timestamp(Get("DateTimeOriginal"), Get("OffsetTimeOriginal"))
                ?? ExifValues.Timestamp(Get("DateTimeDigitized"), Get("OffsetTimeDigitized"))
                ?? ExifValues.Timestamp(Get("DateTime"), Get("OffsetTime"));
        }

        if (Wants("dimensions"))
        {
            result["width"] = width;
            result["height"] = height;
        }

        if (Wants("orientation"))
        {
            result["orientation"] = orientation is >= 1 and <= 8 ? orientation : ExifValues.FirstInteger(Get("Orientation"));
        }

        if (Wants("iso"))
        {
            result["iso"] = ExifValues.FirstInteger(Get("PhotographicSensitivity") ?? Get("ISOSpeedRatings"));
        }

        if (Wants("exposure"))
        {
            result["exposure"] = Exposure(Get);
        }

        if (Wants("gps"))
        {
            result["gps"] = Gps(Get);
        }

        if (Wants("raw"))
        {
            var map = new JsonObject();
            foreach (var (key, value) in raw.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                map[key] = value;
            }

            result["raw"] = map;
        }

        return result;
    }

    private static JsonObject? Exposure(Func<string, string?> get)
    {
        var time = get("ExposureTime");
        var fNumber = ExifValues.Number(get("FNumber"));
        var focal = ExifValues.Number(get("FocalLength"));
        if (time is null && fNumber is null && focal is null)
        {
            return null;
        }

        return new JsonObject
        {
            ["exposure_time"] = time,
            ["exposure_seconds"] = ExifValues.Number(time),
            ["f_number"] = fNumber is { } f ? Math.Round(f, 2) : null,
            ["focal_length_mm"] = focal is { } l ? Math.Round(l, 2) : null,
        };
    }

    private static JsonObject? Gps(Func<string, string?> get)
    {
        var latitude = ExifValues.Coordinate(get("GPSLatitude"), get("GPSLatitudeRef"));
        var longitude = ExifValues.Coordinate(get("GPSLongitude"), get("GPSLongitudeRef"));
        if (latitude is null || longitude is null)
        {
            return null;
        }

        var altitude = ExifValues.Number(get("GPSAltitude"));
        if (altitude is not null && get("GPSAltitudeRef") is "1")
        {
            altitude = -altitude;
        }

        return new JsonObject { ["latitude"] = latitude, ["longitude"] = longitude, ["altitude_m"] = altitude };
    }
}
