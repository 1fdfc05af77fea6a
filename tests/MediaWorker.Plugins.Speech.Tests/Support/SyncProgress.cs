namespace MediaWorker.Plugins.Speech.Tests.Support;

/// <summary>An <see cref="IProgress{T}"/> that reports at once, on the reporting thread, one report at a time.</summary>
internal sealed class SyncProgress(Action<int> report) : IProgress<int>
{
    private readonly Lock _gate = new();

    public void Report(int value)
    {
        lock (_gate)
        {
            report(value);
        }
    }
}
