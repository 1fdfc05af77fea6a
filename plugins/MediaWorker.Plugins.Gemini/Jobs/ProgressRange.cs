using MediaWorker.Plugins.Abstractions;

namespace MediaWorker.Plugins.Gemini.Jobs;

/// <summary>
/// Maps a step's own progress (0 to 1) onto a slice of the job's 0-100, synchronously (unlike
/// <see cref="Progress{T}"/>, which posts to the thread pool and may report out of order).
/// </summary>
internal sealed class ProgressRange(IJobContext job, int from, int to) : IProgress<double>
{
    public void Report(double value) => job.Progress.Report(from + (int)Math.Round(Math.Clamp(value, 0, 1) * (to - from)));

    /// <summary>The same slice for steps that report percentages (ffmpeg).</summary>
    public IProgress<int> AsPercent() => new PercentAdapter(this);

    private sealed class PercentAdapter(ProgressRange range) : IProgress<int>
    {
        public void Report(int value) => range.Report(value / 100.0);
    }
}
