namespace MediaWorker.Plugins.Video.Common;

/// <summary>Maps a step's own 0-100 onto its share of the job's progress (e.g. listing 0-30, extracting 30-100).</summary>
internal sealed class ScaledProgress(IProgress<int> job, int from, int to) : IProgress<int>
{
    public void Report(int value) => job.Report(from + ((to - from) * Math.Clamp(value, 0, 100) / 100));
}
