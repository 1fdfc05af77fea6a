namespace MediaWorker.Ffmpeg.Tests.Support;

/// <summary>An IProgress that reports on the caller's thread, so a test sees every value in order.</summary>
public sealed class SyncProgress(Action<int> report) : IProgress<int>
{
    public void Report(int value) => report(value);
}
