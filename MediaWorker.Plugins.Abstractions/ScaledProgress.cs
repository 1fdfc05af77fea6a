namespace MediaWorker.Plugins.Abstractions;

/// <summary>
/// Maps one step's own progress onto its share of a job's 0-100: for example an ffmpeg pass onto
/// 0-80 and the encoding after it onto 80-100. The step may report percentages (0-100, as
/// <see cref="IProgress{T}"/> of <see cref="int"/>) or fractions (0-1, as <see cref="IProgress{T}"/>
/// of <see cref="double"/>); values outside the range are clamped (NaN counts as 0).
/// </summary>
/// <remarks>
/// Reports synchronously on the caller's thread, unlike <see cref="Progress{T}"/>, which posts to
/// the thread pool and may deliver out of order; so a step that only moves forward never moves the
/// job's progress backwards.
/// </remarks>
/// <param name="target">The job's progress (<see cref="IJobContext.Progress"/>) or an enclosing step's.</param>
/// <param name="from">Where this step starts in the target's 0-100.</param>
/// <param name="to">Where this step ends in the target's 0-100.</param>
public sealed class ScaledProgress(IProgress<int> target, int from, int to) : IProgress<int>, IProgress<double>
{
    /// <summary>Reports <paramref name="value"/> percent of this step as the target's progress.</summary>
    /// <param name="value">This step's progress, 0 to 100.</param>
    public void Report(int value) => Report(value / 100.0);

    /// <summary>Reports the fraction <paramref name="value"/> of this step as the target's progress.</summary>
    /// <param name="value">This step's progress, 0 to 1.</param>
    public void Report(double value)
    {
        var fraction = double.IsNaN(value) ? 0 : Math.Clamp(value, 0, 1);
        target.Report(from + (int)Math.Round(fraction * (to - from), MidpointRounding.AwayFromZero));
    }
}
