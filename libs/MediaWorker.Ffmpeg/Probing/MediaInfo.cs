namespace MediaWorker.Ffmpeg.Probing;

/// <summary>What ffprobe knows about a media file: its container and its streams.</summary>
public sealed record MediaInfo
{
    /// <summary>The container's duration; <see langword="null"/> for a live stream or when unknown.</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>
    /// The container's first timestamp (<c>start_time</c>), often 0 but not always (MPEG-TS, edited
    /// MP4s). ffmpeg counts <c>-ss</c> and filter times from here, ffprobe's packet times do not.
    /// </summary>
    public TimeSpan? StartTime { get; init; }

    /// <summary>The demuxer's name(s), e.g. <c>mov,mp4,m4a,3gp,3g2,mj2</c>.</summary>
    public required string FormatName { get; init; }

    /// <summary>The container's descriptive name, e.g. <c>QuickTime / MOV</c>.</summary>
    public string? FormatLongName { get; init; }

    /// <summary>The overall bit rate in bits per second, when known.</summary>
    public long? BitRate { get; init; }

    /// <summary>The file size in bytes, when known.</summary>
    public long? Size { get; init; }

    /// <summary>The container's tags (title, creation_time, ...).</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    /// <summary>Every stream, in file order.</summary>
    public required IReadOnlyList<StreamInfo> Streams { get; init; }

    /// <summary>The video stream a player would show: the default one, else the first; cover art is not video.</summary>
    public StreamInfo? PrimaryVideo => Primary(StreamKind.Video);

    /// <summary>The audio stream a player would play: the default one, else the first.</summary>
    public StreamInfo? PrimaryAudio => Primary(StreamKind.Audio);

    /// <summary>True when there is real video (not just cover art).</summary>
    public bool HasVideo => PrimaryVideo is not null;

    /// <summary>True when there is audio.</summary>
    public bool HasAudio => PrimaryAudio is not null;

    private StreamInfo? Primary(StreamKind kind)
    {
        var candidates = Streams.Where(s => s.Kind == kind && !s.IsAttachedPicture).ToList();
        return candidates.FirstOrDefault(s => s.IsDefault) ?? candidates.FirstOrDefault();
    }
}
