using System.Globalization;
using MediaWorker.Ffmpeg.Probing;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.Video.Common;

namespace MediaWorker.Plugins.Video.Tasks;

/// <summary>
/// The <c>transcode</c> parameters after the rules the schema cannot express: defaults that depend
/// on the container, what WebM can hold, what stream copy rules out, one rate control at a time.
/// </summary>
internal sealed record TranscodeSettings(
    string Container, string VideoCodec, string AudioCodec, int? Crf, string? VideoBitrate, string? AudioBitrate, int? MaxWidth, int? MaxHeight, string Preset)
{
    public static readonly string[] Containers = ["mp4", "webm", "mkv"];
    public static readonly string[] VideoCodecs = ["h264", "vp9", "copy"];
    public static readonly string[] AudioCodecs = ["aac", "opus", "copy"];
    public static readonly string[] Presets = ["ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow", "slower", "veryslow"];

    private static readonly string[] WebmVideo = ["vp8", "vp9", "av1"];
    private static readonly string[] WebmAudio = ["opus", "vorbis"];

    public string Extension => "." + Container;

    public static TranscodeSettings Read(JobParameters p, MediaInfo source)
    {
        var container = p.Choice("container", "mp4", Containers);
        var webm = container == "webm";
        var settings = new TranscodeSettings(
            container,
            p.Choice("video_codec", webm ? "vp9" : "h264", VideoCodecs),
            p.Choice("audio_codec", webm ? "opus" : "aac", AudioCodecs),
            p.OptionalInteger("crf"),
            p.OptionalString("video_bitrate"),
            p.OptionalString("audio_bitrate"),
            p.OptionalInteger("max_width"),
            p.OptionalInteger("max_height"),
            p.Choice("preset", "medium", Presets));
        settings.Validate(p, source);
        return settings;
    }

    /// <summary>libvpx-vp9's speed for a preset name, so one parameter steers both encoders.</summary>
    public string Vp9CpuUsed => (8 - Array.IndexOf(Presets, Preset)).ToString(CultureInfo.InvariantCulture);

    private void Validate(JobParameters p, MediaInfo source)
    {
        if (Crf is not null && VideoBitrate is not null)
        {
            throw new PermanentJobException("Give either 'crf' (constant quality) or 'video_bitrate' (average bit rate), not both.");
        }

        if (VideoCodec == "copy")
        {
            var conflicting = new[] { "crf", "video_bitrate", "max_width", "max_height", "preset" }.Where(p.Has).ToList();
            if (conflicting.Count > 0)
            {
                throw new PermanentJobException($"video_codec 'copy' keeps the video as it is, so {string.Join(", ", conflicting)} cannot apply; choose h264 or vp9 to re-encode.");
            }
        }

        if (AudioCodec == "copy" && AudioBitrate is not null)
        {
            throw new PermanentJobException("audio_codec 'copy' keeps the audio as it is, so audio_bitrate cannot apply; choose aac or opus to re-encode.");
        }

        var maxCrf = VideoCodec == "vp9" ? 63 : 51;
        if (Crf is { } crf && (crf < 0 || crf > maxCrf))
        {
            throw JobParameters.Invalid("crf", $"must be between 0 and {maxCrf} for {VideoCodec} (got {crf})");
        }

        if (Container == "webm")
        {
            var video = VideoCodec == "copy" ? source.PrimaryVideo?.CodecName : VideoCodec;
            var audio = AudioCodec == "copy" ? source.PrimaryAudio?.CodecName : AudioCodec;
            if (video is not null && !WebmVideo.Contains(video))
            {
                throw new PermanentJobException($"A webm file holds VP8, VP9 or AV1 video, not {video}; use video_codec vp9 or another container.");
            }

            if (source.HasAudio && audio is not null && !WebmAudio.Contains(audio))
            {
                throw new PermanentJobException($"A webm file holds Opus or Vorbis audio, not {audio}; use audio_codec opus or another container.");
            }
        }
    }
}
