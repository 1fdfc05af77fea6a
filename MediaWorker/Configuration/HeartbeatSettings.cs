namespace MediaWorker.Configuration;

/// <summary>
/// How often a worker writes its row in the <c>workers</c> table (<c>WORKER_HEARTBEAT_INTERVAL</c>)
/// and how long after the last one it counts as gone (<c>WORKER_HEARTBEAT_TIMEOUT</c>).
/// </summary>
public sealed record HeartbeatSettings
{
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(15);

    internal static HeartbeatSettings Read(SettingsReader reader)
    {
        var interval = reader.Seconds("WORKER_HEARTBEAT_INTERVAL", TimeSpan.FromSeconds(5), 0.1, 3600);
        var timeout = reader.Seconds("WORKER_HEARTBEAT_TIMEOUT", interval * 3, 0.2, 3 * 3600);
        if (timeout <= interval)
        {
            reader.AddError($"WORKER_HEARTBEAT_TIMEOUT: {timeout.TotalSeconds} s is not longer than WORKER_HEARTBEAT_INTERVAL ({interval.TotalSeconds} s); use about three intervals.");
        }

        return new HeartbeatSettings { Interval = interval, Timeout = timeout };
    }
}
