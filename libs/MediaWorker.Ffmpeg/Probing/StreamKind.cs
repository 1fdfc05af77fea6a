namespace MediaWorker.Ffmpeg.Probing;

/// <summary>What a stream carries (ffprobe's <c>codec_type</c>).</summary>
public enum StreamKind
{
    /// <summary>A codec type this library does not know.</summary>
    Unknown,

    /// <summary>Video (including cover art, see <see cref="StreamInfo.IsAttachedPicture"/>).</summary>
    Video,

    /// <summary>Audio.</summary>
    Audio,

    /// <summary>Subtitles.</summary>
    Subtitle,

    /// <summary>Timed data such as timecodes.</summary>
    Data,

    /// <summary>An attachment such as a font.</summary>
    Attachment,
}
