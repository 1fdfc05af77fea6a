namespace MediaWorker.Plugins.Image.Processing;

/// <summary>
/// Maps a step's 0-100 onto a part of the job's range (e.g. ffmpeg's grid onto 0-80, its encoding onto
/// 80-100), synchronously, so the job's progress never goes backwards.
/// </summary>
internal sealed class ScaledProgress(IProgress<int> target, int from, int to) : IProgress<int>
{
    public void Report(int value) => target.Report(from + ((to - from) * Math.Clamp(value, 0, 100) / 100));
}
