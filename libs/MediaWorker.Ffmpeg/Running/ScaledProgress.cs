namespace MediaWorker.Ffmpeg.Running;

/// <summary>
/// Maps one step's own 0-100 onto its share of a job's progress (for example an ffmpeg pass onto
/// 0-80 and the encoding after it onto 80-100). Reports synchronously, so the job's progress never
/// goes backwards.
/// </summary>
/// <param name="target">The job's progress.</param>
/// <param name="from">Where this step starts in the job's 0-100.</param>
/// <param name="to">Where this step ends in the job's 0-100.</param>
public sealed class ScaledProgress(IProgress<int> target, int from, int to) : IProgress<int>
{
    /// <summary>Reports <paramref name="value"/> (0-100 of this step) as the job's progress.</summary>
    /// <param name="value">This step's progress.</param>
    public void Report(int value) => target.Report(from + ((to - from) * Math.Clamp(value, 0, 100) / 100));
}
