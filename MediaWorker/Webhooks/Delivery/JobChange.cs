using MediaWorker.Messaging;
using MediaWorker.Storage;

namespace MediaWorker.Webhooks.Delivery;

/// <summary>One job's change, for <see cref="WebhookEvents.JobsChanged"/>.</summary>
/// <param name="JobId">The job whose state changed.</param>
/// <param name="TaskType">Its task type.</param>
/// <param name="Type">The job event the change is.</param>
/// <param name="Outcome">For a written outcome: what the attempt returned.</param>
public readonly record struct JobChange(string JobId, string TaskType, JobEventType Type, JobOutcome? Outcome = null);
