using System.Text.Json.Nodes;
using MediaWorker.Ffmpeg.Probing;
using MediaWorker.Plugins.Video.Common;

namespace MediaWorker.Plugins.Video.Tasks;

/// <summary>The JSON form of <see cref="MediaInfo"/> in task outputs (snake_case, seconds, unknowns as null).</summary>
internal static class MediaInfoJson
{
    public static JsonObject From(MediaInfo info) => new()
    {
        ["duration"] = info.Duration is { } d ? JsonOutput.Seconds(d) : null,
        ["format"] = info.FormatName,
        ["format_long_name"] = info.FormatLongName,
        ["bit_rate"] = info.BitRate,
        ["size"] = info.Size,
        ["tags"] = new JsonObject([.. info.Tags.Select(t => KeyValuePair.Create(t.Key, (JsonNode?)t.Value))]),
        ["video"] = info.PrimaryVideo is { } video ? Stream(video) : null,
        ["audio"] = info.PrimaryAudio is { } audio ? Stream(audio) : null,
        ["streams"] = new JsonArray([.. info.Streams.Select(s => (JsonNode)Stream(s))]),
    };

    public static JsonObject Stream(StreamInfo stream) => new()
    {
        ["index"] = stream.Index,
        ["type"] = stream.Kind.ToString().ToLowerInvariant(),
        ["codec"] = stream.CodecName,
        ["codec_long_name"] = stream.CodecLongName,
        ["profile"] = stream.Profile,
        ["width"] = stream.Width,
        ["height"] = stream.Height,
        ["display_width"] = stream.DisplayWidth,
        ["display_height"] = stream.DisplayHeight,
        ["rotation"] = stream.Kind == StreamKind.Video ? stream.Rotation : null,
        ["frame_rate"] = stream.FrameRate?.ToString(),
        ["fps"] = stream.FrameRate is { } rate ? Math.Round(rate.Value, 3) : null,
        ["pixel_format"] = stream.PixelFormat,
        ["bit_rate"] = stream.BitRate,
        ["duration"] = stream.Duration is { } d ? JsonOutput.Seconds(d) : null,
        ["frames"] = stream.FrameCount,
        ["channels"] = stream.Channels,
        ["channel_layout"] = stream.ChannelLayout,
        ["sample_rate"] = stream.SampleRate,
        ["language"] = stream.Language,
        ["default"] = stream.IsDefault,
        ["attached_picture"] = stream.IsAttachedPicture,
    };
}
