using System.Globalization;
using System.Text.Json;

namespace MediaWorker.Ffmpeg.Probing;

/// <summary>
/// Reads the JSON of <c>ffprobe -print_format json -show_format -show_streams</c> into <see cref="MediaInfo"/>.
/// ffprobe writes many numbers as strings ("duration": "2.000000") and leaves out what it does not know;
/// both are handled here so the model only holds real values.
/// </summary>
internal static class FfprobeJsonParser
{
    public static MediaInfo Parse(JsonElement root)
    {
        var format = root.TryGetProperty("format", out var f) ? f : default;
        var streams = root.TryGetProperty("streams", out var s) && s.ValueKind == JsonValueKind.Array
            ? s.EnumerateArray().Select(ParseStream).ToList()
            : [];
        return new MediaInfo
        {
            Duration = Seconds(format, "duration"),
            StartTime = Double(format, "start_time") is { } start ? TimeSpan.FromSeconds(start) : null,
            FormatName = String(format, "format_name") ?? "unknown",
            FormatLongName = String(format, "format_long_name"),
            BitRate = Long(format, "bit_rate"),
            Size = Long(format, "size"),
            Tags = Tags(format),
            Streams = streams,
        };
    }

    private static StreamInfo ParseStream(JsonElement stream)
    {
        var tags = Tags(stream);
        var disposition = stream.TryGetProperty("disposition", out var d) ? d : default;
        return new StreamInfo
        {
            Index = (int)(Long(stream, "index") ?? 0),
            Kind = Kind(String(stream, "codec_type")),
            CodecName = String(stream, "codec_name"),
            CodecLongName = String(stream, "codec_long_name"),
            Profile = String(stream, "profile"),
            Width = (int?)Long(stream, "width"),
            Height = (int?)Long(stream, "height"),
            PixelFormat = String(stream, "pix_fmt"),
            FrameRate = Rational.Parse(String(stream, "avg_frame_rate")) ?? Rational.Parse(String(stream, "r_frame_rate")),
            Rotation = Rotation(stream, tags),
            BitRate = Long(stream, "bit_rate"),
            Duration = Seconds(stream, "duration"),
            FrameCount = Long(stream, "nb_frames"),
            Channels = (int?)Long(stream, "channels"),
            ChannelLayout = String(stream, "channel_layout"),
            SampleRate = (int?)Long(stream, "sample_rate"),
            Language = tags.GetValueOrDefault("language") is { } lang && lang != "und" ? lang : null,
            IsDefault = Long(disposition, "default") == 1,
            IsAttachedPicture = Long(disposition, "attached_pic") == 1,
        };
    }

    private static int Rotation(JsonElement stream, Dictionary<string, string> tags)
    {
        // The display matrix's angle is counter-clockwise (av_display_rotation_get); players and
        // ffmpeg's autorotate turn the picture by its negation. The old "rotate" tag is clockwise.
        if (stream.TryGetProperty("side_data_list", out var sideData) && sideData.ValueKind == JsonValueKind.Array)
        {
            foreach (var entry in sideData.EnumerateArray())
            {
                if (Double(entry, "rotation") is { } counterClockwise)
                {
                    return Normalize(-counterClockwise);
                }
            }
        }

        return tags.TryGetValue("rotate", out var rotate)
            && double.TryParse(rotate, NumberStyles.Float, CultureInfo.InvariantCulture, out var clockwise)
            ? Normalize(clockwise)
            : 0;
    }

    private static int Normalize(double degrees)
    {
        var quarterTurns = (int)Math.Round(degrees / 90.0);
        return ((quarterTurns % 4) + 4) % 4 * 90;
    }

    private static StreamKind Kind(string? codecType) => codecType switch
    {
        "video" => StreamKind.Video,
        "audio" => StreamKind.Audio,
        "subtitle" => StreamKind.Subtitle,
        "data" => StreamKind.Data,
        "attachment" => StreamKind.Attachment,
        _ => StreamKind.Unknown,
    };

    private static Dictionary<string, string> Tags(JsonElement element)
    {
        var tags = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty("tags", out var t) && t.ValueKind == JsonValueKind.Object)
        {
            foreach (var tag in t.EnumerateObject())
            {
                tags[tag.Name] = tag.Value.ValueKind == JsonValueKind.String ? tag.Value.GetString()! : tag.Value.GetRawText();
            }
        }

        return tags;
    }

    private static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString() is { Length: > 0 } text && text != "N/A" ? text : null
            : null;

    private static double? Double(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.Number => value.GetDouble(),
            JsonValueKind.String when double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed)
                && double.IsFinite(parsed) => parsed,
            _ => null,
        };
    }

    private static long? Long(JsonElement element, string name) => Double(element, name) is { } d ? (long)d : null;

    private static TimeSpan? Seconds(JsonElement element, string name) =>
        Double(element, name) is { } seconds && seconds >= 0 ? TimeSpan.FromSeconds(seconds) : null;
}
