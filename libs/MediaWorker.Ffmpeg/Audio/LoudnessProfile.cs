namespace MediaWorker.Ffmpeg.Audio;

/// <summary>An audio track's loudness over time, in windows of equal length.</summary>
/// <param name="WindowLength">The length of every window.</param>
/// <param name="Windows">The windows in order, the first starting at 0.</param>
/// <param name="IntegratedLufs">The EBU R128 integrated loudness of the whole track.</param>
public sealed record LoudnessProfile(TimeSpan WindowLength, IReadOnlyList<LoudnessWindow> Windows, double IntegratedLufs)
{
    /// <summary>Silence is reported as this level (dB) instead of minus infinity.</summary>
    public const double Floor = -120;

    /// <summary>The windows that start inside <c>[start, end)</c>.</summary>
    public IEnumerable<LoudnessWindow> Between(TimeSpan start, TimeSpan end) => Windows.Where(w => w.Start >= start && w.Start < end);
}
