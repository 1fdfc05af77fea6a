namespace MediaWorker.Ffmpeg.Audio;

/// <summary>Which part of the input to decode, and how to watch it.</summary>
public sealed record AudioDecodeOptions
{
    /// <summary>Where to start; <see langword="null"/> for the beginning.</summary>
    public TimeSpan? Start { get; init; }

    /// <summary>Where to stop; <see langword="null"/> for the end.</summary>
    public TimeSpan? End { get; init; }

    /// <summary>Receives 0-100; the input is probed for its duration when this is set.</summary>
    public IProgress<int>? Progress { get; init; }

    /// <summary>The longest ffmpeg may run.</summary>
    public TimeSpan? Timeout { get; init; }
}
