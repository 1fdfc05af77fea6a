using MediaWorker.Messaging;
using MediaWorker.Storage;

namespace MediaWorker.Execution;

/// <summary>A committed job event with the claimed job it is about (observers read its times).</summary>
public readonly record struct AnnouncedEvent(ClaimedJob Job, JobEvent Event);
