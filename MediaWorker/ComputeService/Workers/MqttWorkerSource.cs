using MediaWorker.Configuration;
using MediaWorker.Messaging.Mqtt.Watching;
using Microsoft.Extensions.Logging;

namespace MediaWorker.ComputeService.Workers;

/// <summary>
/// Live workers from <c>$CAPABILITY_TOPIC_PREFIX/+</c>, kept up to date by a
/// <see cref="CapabilityWatcher"/> (the one <c>mediaworker workers</c> uses). Presences that serve
/// no task (such as the compute API's own) are not workers.
/// </summary>
public sealed class MqttWorkerSource : IWorkerSource, IDisposable
{
    private readonly CapabilityWatcher _watcher;

    public MqttWorkerSource(BroadcastSettings settings, ILogger logger)
    {
        _watcher = new CapabilityWatcher(settings, logger);
        _watcher.Start();
    }

    public IReadOnlyList<LiveWorker> LiveWorkers(DateTimeOffset now) =>
        _watcher.Directory.Rows(now)
            .Where(r => !r.Stale && r.Worker.Capabilities.Count > 0)
            .Select(r => new LiveWorker(r.Worker.WorkerId, r.Worker.Capabilities, r.Worker.IdleCount))
            .ToList();

    public Task StopAsync(CancellationToken cancellationToken) => _watcher.StopAsync(cancellationToken);

    public void Dispose() => _watcher.Dispose();
}
