using MediaWorker.Messaging;
using MediaWorker.Storage;

namespace MediaWorker.Execution.Writing;

/// <summary>
/// One piece of work for <see cref="DatabaseWriter"/>. <see cref="Execute"/> runs on the writer
/// thread inside the batch's transaction and may run again (alone) if the batch is rolled back;
/// <see cref="Committed"/> runs after the commit and hands results and events on without waiting.
/// </summary>
internal abstract class WriteRequest
{
    /// <summary>False for work SQLite refuses inside a transaction (checkpoints).</summary>
    public virtual bool InTransaction => true;

    public abstract void Execute(WriterSession session, long nowMs);

    /// <summary>Called after the commit; <paramref name="events"/> collects job events to announce, in commit order.</summary>
    public abstract void Committed(List<AnnouncedEvent> events);

    public abstract void Fail(Exception error);
}

/// <summary>A request whose caller awaits a result.</summary>
internal abstract class WriteRequest<T> : WriteRequest
{
    private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<T> Task => _completion.Task;

    protected T? Result { get; set; }

    public override void Committed(List<AnnouncedEvent> events)
    {
        Announce(events);
        _completion.TrySetResult(Result!);
    }

    public override void Fail(Exception error) => _completion.TrySetException(error);

    protected virtual void Announce(List<AnnouncedEvent> events)
    {
    }
}

internal sealed class ClaimWrite(ClaimRequest request, JobEventFactory events) : WriteRequest<IReadOnlyList<ClaimedJob>>
{
    public override void Execute(WriterSession session, long nowMs) => Result = session.Claimer.Claim(request, nowMs);

    protected override void Announce(List<AnnouncedEvent> list)
    {
        foreach (var job in Result!)
        {
            list.Add(new AnnouncedEvent(job, events.Started(job)));
        }
    }
}

internal sealed class OutcomeWrite(ClaimedJob job, JobOutcome outcome, int progress, JobEventFactory events) : WriteRequest<bool>
{
    public ClaimedJob Job => job;

    public JobOutcome Outcome => outcome;

    public override void Execute(WriterSession session, long nowMs) =>
        Result = session.Writer.ApplyOutcomes([(job, outcome)], nowMs)[0];

    /// <summary>Many outcomes in one statement loop (the usual case): set by the writer for a run of outcomes.</summary>
    public void SetWritten(bool written) => Result = written;

    protected override void Announce(List<AnnouncedEvent> list)
    {
        if (Result && events.Settled(job, outcome, progress) is { } settled)
        {
            list.Add(new AnnouncedEvent(job, settled));
        }
    }
}

internal sealed class ProgressWrite(IReadOnlyList<(ClaimedJob Job, int Progress)> values, JobEventFactory events) : WriteRequest<bool[]>
{
    public override void Execute(WriterSession session, long nowMs) => Result = session.Writer.UpdateProgress(values, nowMs);

    protected override void Announce(List<AnnouncedEvent> list)
    {
        for (var i = 0; i < values.Count; i++)
        {
            if (Result![i])
            {
                list.Add(new AnnouncedEvent(values[i].Job, events.Progressed(values[i].Job, values[i].Progress)));
            }
        }
    }
}

/// <summary>A checkpoint (state, follow-ups, pipeline runs, file releases, progress) under the job's lease; the result says whether the lease held.</summary>
internal sealed class CheckpointWrite(ClaimedJob job, CheckpointRows rows, JobEventFactory events) : WriteRequest<bool>
{
    public override void Execute(WriterSession session, long nowMs) =>
        Result = CheckpointStore.Write(session.Connection, job, rows, nowMs);

    protected override void Announce(List<AnnouncedEvent> list)
    {
        if (Result && rows.Progress is { } value)
        {
            list.Add(new AnnouncedEvent(job, events.Progressed(job, value)));
        }
    }
}

internal sealed class LeaseRenewal(IReadOnlyList<ClaimedJob> jobs, TimeSpan lease) : WriteRequest<bool[]>
{
    public override void Execute(WriterSession session, long nowMs) => Result = session.Writer.RenewLeases(jobs, nowMs, lease);
}

/// <summary>Maintenance (checkpoint, retention): runs alone, outside the batch transaction when it must.</summary>
internal sealed class MaintenanceWrite<T>(Func<WriterSession, long, T> work, bool inTransaction) : WriteRequest<T>
{
    public override bool InTransaction => inTransaction;

    public override void Execute(WriterSession session, long nowMs) => Result = work(session, nowMs);
}
