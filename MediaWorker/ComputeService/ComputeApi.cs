using MediaWorker.ComputeService.Auth;
using MediaWorker.ComputeService.Jobs;
using MediaWorker.ComputeService.Workers;
using MediaWorker.Messaging;

namespace MediaWorker.ComputeService;

/// <summary>What the routes share: settings, the jobs, access, live workers and where job events go.</summary>
public sealed record ComputeApi(
    ComputeServiceSettings Settings,
    ComputeJobs Jobs,
    GuestModeStore GuestMode,
    AccessPolicy Access,
    IWorkerSource Workers,
    IWorkerBroadcaster Events,
    TimeProvider Time);
