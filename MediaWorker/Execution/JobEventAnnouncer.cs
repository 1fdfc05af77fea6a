using System.Threading.Channels;
using MediaWorker.Messaging;
using Microsoft.Extensions.Hosting;

namespace MediaWorker.Execution;

/// <summary>
/// Publishes job events after their writes committed, off the writer thread, and hands each one to
/// the optional <paramref name="sink"/> too (the operations surface of the same process). The writer
/// hands over each commit's events as one list, so events leave in commit order: a retried job's
/// <c>retrying</c> always precedes its next attempt's <c>processing</c>.
/// </summary>
public sealed class JobEventAnnouncer(IWorkerBroadcaster broadcaster, IJobEventSink? sink = null) : BackgroundService
{
    private readonly Channel<IReadOnlyList<AnnouncedEvent>> _pending = Channel.CreateUnbounded<IReadOnlyList<AnnouncedEvent>>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Queues one commit's events; never blocks.</summary>
    public void Announce(IReadOnlyList<AnnouncedEvent> events) => _pending.Writer.TryWrite(events);

    /// <summary>Sends what is queued, then stops (after the writer has stopped, so nothing is left behind).</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _pending.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Not cancelled by stoppingToken: StopAsync completes the channel, and every queued event still goes out.
        await foreach (var events in _pending.Reader.ReadAllAsync(CancellationToken.None))
        {
            foreach (var announced in events)
            {
                broadcaster.PublishJobEvent(announced.Event);
                sink?.Publish(announced.Job, announced.Event);
            }
        }
    }
}
