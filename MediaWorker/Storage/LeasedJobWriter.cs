using System.Data.Common;
using MediaWorker.Messaging;
using MediaWorker.Webhooks.Delivery;

namespace MediaWorker.Storage;

/// <summary>
/// Every write a worker makes to a job it claimed: outcomes, progress and lease renewals. Each
/// write is fenced by the job's lease token and status, per job, so a worker that lost its lease
/// (reclaimed after it stalled, or cancelled) can never overwrite another worker's result, and only
/// that job of a batch is rejected. The statements are prepared once per connection and a batch
/// runs in one transaction (group commit): on SQLite row by row, on PostgreSQL one statement per
/// kind of write for the whole batch (<see cref="FencedWrite"/>). The outcome's webhooks,
/// follow-ups and pipeline advancement commit in that same transaction. Not thread-safe: one
/// instance per connection. The statements are portable SQL (<see cref="SqlDialect"/> fills the
/// two spellings that differ), so SQLite and PostgreSQL share this class.
/// </summary>
public sealed class LeasedJobWriter : IDisposable
{
    internal const string Fence = " WHERE job_id = @job AND lease_token = @token AND status = 'processing'";
    private const string ReleaseLease = "lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL";

    private readonly DbConnection _connection;
    private readonly FencedWrite _complete;
    private readonly FencedWrite _retry;
    private readonly FencedWrite _fail;
    private readonly FencedWrite _cancel;
    private readonly FencedWrite _requeue;
    private readonly FencedWrite _progress;
    private readonly FencedWrite _renew;

    public LeasedJobWriter(DbConnection connection)
    {
        _connection = connection;
        var dialect = SqlDialect.Of(connection);
        _complete = Prepare($"status = 'completed', output = {dialect.Json("@output")}, progress = 100, completed_at = @now, updated_at = @now, error_message = NULL, {ReleaseLease}", "@output");
        _retry = Prepare($"status = 'queued', error_message = @error, run_after = @runAfter, retry_count = retry_count + 1, progress = 0, updated_at = @now, {ReleaseLease}", "@error", "@runAfter");
        _fail = Prepare($"status = 'failed', error_message = @error, completed_at = @now, updated_at = @now, {ReleaseLease}", "@error");
        _cancel = Prepare($"status = 'cancelled', error_message = @error, completed_at = @now, updated_at = @now, {ReleaseLease}", "@error");
        // A graceful stop is not the job's fault: the attempt it was counted at claim is given back.
        _requeue = Prepare($"status = 'queued', attempts = {dialect.Greatest}(attempts - 1, 0), run_after = 0, progress = 0, started_at = NULL, updated_at = @now, {ReleaseLease}");
        _progress = Prepare("progress = @progress, updated_at = @now", "@progress");
        _renew = Prepare("lease_expires_at = @until", "@until");
    }

    /// <summary>Writes outcomes (with their follow-ups) in one transaction.</summary>
    /// <returns>Per outcome, whether it was written (false: the lease was lost, nothing was changed).</returns>
    public bool[] ApplyOutcomes(IReadOnlyList<(ClaimedJob Job, JobOutcome Outcome)> batch, long nowMs)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var applied = new bool[batch.Count];
        using var transaction = WriteTransaction.Begin(_connection);
        foreach (var kind in batch.Select(b => b.Outcome.Kind).Distinct())
        {
            var indices = Enumerable.Range(0, batch.Count).Where(i => batch[i].Outcome.Kind == kind).ToArray();
            var jobs = Array.ConvertAll(indices, i => batch[i].Job);
            var outcomes = Array.ConvertAll(indices, i => batch[i].Outcome);
            var written = kind switch
            {
                OutcomeKind.Completed => _complete.Run(jobs, nowMs, Array.ConvertAll(outcomes, o => o.OutputJson ?? "{}")),
                OutcomeKind.Retry => _retry.Run(jobs, nowMs, Array.ConvertAll(outcomes, o => o.ErrorMessage), Array.ConvertAll(outcomes, o => o.RunAfter)),
                OutcomeKind.Failed => _fail.Run(jobs, nowMs, Array.ConvertAll(outcomes, o => o.ErrorMessage)),
                OutcomeKind.Cancelled => _cancel.Run(jobs, nowMs, Array.ConvertAll(outcomes, o => o.ErrorMessage ?? "Cancelled on request.")),
                OutcomeKind.Requeued => _requeue.Run(jobs, nowMs),
                _ => throw new ArgumentOutOfRangeException(nameof(batch), kind, "Unknown outcome."),
            };
            for (var k = 0; k < indices.Length; k++)
            {
                applied[indices[k]] = written[k];
            }
        }

        var changes = new List<JobChange>();
        for (var i = 0; i < batch.Count; i++)
        {
            var (job, outcome) = batch[i];
            if (applied[i] && WebhookEvents.EventOf(outcome.Kind) is { } webhookEvent)
            {
                changes.Add(new JobChange(job.JobId, job.TaskType, webhookEvent, outcome));
            }
        }

        WebhookEvents.JobsChanged(_connection, changes, nowMs); // webhooks (issue 16)
        for (var i = 0; i < batch.Count; i++)
        {
            if (applied[i] && batch[i].Outcome.Kind == OutcomeKind.Completed)
            {
                foreach (var followUp in batch[i].Outcome.FollowUps)
                {
                    JobSubmitter.Insert(_connection, followUp, nowMs);
                }
            }
        }

        // Pipelines (issue 17): a step job that ended moves its run on in this same transaction.
        Pipelines.Runs.StepAdvancer.AfterOutcomes(_connection, batch, applied, nowMs);

        transaction.Commit();
        return applied;
    }

    /// <summary>Writes progress values; returns per entry whether the lease still held.</summary>
    public bool[] UpdateProgress(IReadOnlyList<(ClaimedJob Job, int Progress)> batch, long nowMs)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Count == 0)
        {
            return [];
        }

        using var transaction = WriteTransaction.Begin(_connection);
        var written = _progress.Run([.. batch.Select(b => b.Job)], nowMs, batch.Select(b => (long)b.Progress).ToArray());
        WebhookEvents.JobsChanged(_connection, [.. batch.Where((_, i) => written[i]).Select(b => new JobChange(b.Job.JobId, b.Job.TaskType, JobEventType.Progress))], nowMs); // webhooks (issue 16)
        transaction.Commit();
        return written;
    }

    /// <summary>Extends leases; returns per job whether the lease still held.</summary>
    public bool[] RenewLeases(IReadOnlyList<ClaimedJob> jobs, long nowMs, TimeSpan lease)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        if (jobs.Count == 0)
        {
            return [];
        }

        using var transaction = WriteTransaction.Begin(_connection);
        var written = _renew.Run(jobs, nowMs, Enumerable.Repeat(nowMs + (long)lease.TotalMilliseconds, jobs.Count).ToArray());
        transaction.Commit();
        return written;
    }

    public void Dispose()
    {
        foreach (var write in new[] { _complete, _retry, _fail, _cancel, _requeue, _progress, _renew })
        {
            write.Dispose();
        }
    }

    private FencedWrite Prepare(string set, params string[] values) => FencedWrite.Prepare(_connection, new FencedUpdate(set, values));
}
