namespace MediaWorker.Ffmpeg.Probing;

/// <summary>One stream of a media file, as ffprobe describes it.</summary>
public sealed record StreamInfo
{
    /// <summary>The stream's index in the file (what <c>-map 0:N</c> selects).</summary>
    public required int Index { get; init; }

    /// <summary>Video, audio, subtitle, ...</summary>
    public required StreamKind Kind { get; init; }

    /// <summary>The codec's short name, e.g. <c>h264</c>, <c>aac</c>; <see langword="null"/> when ffprobe does not know it.</summary>
    public string? CodecName { get; init; }

    /// <summary>The codec's descriptive name.</summary>
    public string? CodecLongName { get; init; }

    /// <summary>The codec profile, e.g. <c>High</c>.</summary>
    public string? Profile { get; init; }

    /// <summary>The coded width in pixels (before rotation).</summary>
    public int? Width { get; init; }

    /// <summary>The coded height in pixels (before rotation).</summary>
    public int? Height { get; init; }

    /// <summary>The pixel format, e.g. <c>yuv420p</c>.</summary>
    public string? PixelFormat { get; init; }

    /// <summary>The average frame rate (<c>avg_frame_rate</c>, else <c>r_frame_rate</c>).</summary>
    public Rational? FrameRate { get; init; }

    /// <summary>
    /// Degrees a player turns the picture clockwise to show it upright: 0, 90, 180 or 270, from the
    /// display matrix side data (or the older <c>rotate</c> tag). Phones record portrait video as
    /// landscape frames with 90 or 270 here.
    /// </summary>
    public int Rotation { get; init; }

    /// <summary>The width as displayed, after <see cref="Rotation"/>.</summary>
    public int? DisplayWidth => Rotation is 90 or 270 ? Height : Width;

    /// <summary>The height as displayed, after <see cref="Rotation"/>.</summary>
    public int? DisplayHeight => Rotation is 90 or 270 ? Width : Height;

    /// <summary>The stream's bit rate in bits per second, when known.</summary>
    public long? BitRate { get; init; }

    /// <summary>The stream's duration, when the container records it.</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>The number of frames, when the container records it.</summary>
    public long? FrameCount { get; init; }

    /// <summary>Audio channels.</summary>
    public int? Channels { get; init; }

    /// <summary>The audio channel layout, e.g. <c>stereo</c>.</summary>
    public string? ChannelLayout { get; init; }

    /// <summary>Audio samples per second.</summary>
    public int? SampleRate { get; init; }

    /// <summary>The <c>language</c> tag, e.g. <c>eng</c>.</summary>
    public string? Language { get; init; }

    /// <summary>True for the stream a player picks by default.</summary>
    public bool IsDefault { get; init; }

    /// <summary>True for cover art stored as a one-frame video stream (not real video).</summary>
    public bool IsAttachedPicture { get; init; }
}
