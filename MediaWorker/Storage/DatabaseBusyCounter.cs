using System.Diagnostics.Metrics;

namespace MediaWorker.Storage;

/// <summary>
/// Counts <see cref="DatabaseBusyException"/>s in this process: a metric
/// (<c>mediaworker.database.busy_errors</c> on meter <c>MediaWorker.Storage</c>, readable with
/// dotnet-counters) and a total the worker reports when it stops and <c>mediaworker bench</c> adds up.
/// </summary>
public static class DatabaseBusyCounter
{
    private static readonly Meter Meter = new("MediaWorker.Storage");
    private static readonly Counter<long> Errors = Meter.CreateCounter<long>(
        "mediaworker.database.busy_errors", unit: "{error}", description: "Write transactions that found the database locked past DATABASE_BUSY_TIMEOUT.");

    private static long _total;

    /// <summary>Busy errors since the process started.</summary>
    public static long Total => Interlocked.Read(ref _total);

    internal static void Record()
    {
        Interlocked.Increment(ref _total);
        Errors.Add(1);
    }
}
