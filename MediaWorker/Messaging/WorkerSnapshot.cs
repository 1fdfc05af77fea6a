namespace MediaWorker.Messaging;

/// <summary>A plugin as the capability message lists it.</summary>
public sealed record PluginSummary(string Name, string Version, IReadOnlyList<string> Tasks);

/// <summary>What the worker is and does right now: the source of the capability message.</summary>
public sealed record WorkerSnapshot(
    string WorkerId,
    IReadOnlyList<string> Capabilities,
    int MaxConcurrency,
    int ActiveJobs,
    bool Draining,
    IReadOnlyList<PluginSummary> Plugins)
{
    public int IdleCount => Draining ? 0 : Math.Max(0, MaxConcurrency - ActiveJobs);

    /// <summary><c>draining</c> after the first stop signal; else <c>busy</c> while any job runs; else <c>idle</c>.</summary>
    public string Status => Draining ? "draining" : ActiveJobs > 0 ? "busy" : "idle";
}
