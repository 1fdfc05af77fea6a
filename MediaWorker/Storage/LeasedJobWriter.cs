using System.Data.Common;
using MediaWorker.Messaging;
using MediaWorker.Webhooks.Delivery;

namespace MediaWorker.Storage;

/// <summary>
/// Every write a worker makes to a job it claimed: outcomes, progress and lease renewals. Each
/// statement is fenced by the job's lease token and status, and checks that exactly one row changed,
/// so a worker that lost its lease (reclaimed after it stalled, or cancelled) can never overwrite
/// another worker's result. Statements are prepared once per connection; batches share one
/// IMMEDIATE transaction (group commit). Not thread-safe: one instance per connection.
/// The statements are portable SQL (<see cref="SqlDialect"/> fills the two spellings that differ),
/// so SQLite and PostgreSQL share this class.
/// </summary>
public sealed class LeasedJobWriter : IDisposable
{
    internal const string Fence = " WHERE job_id = @job AND lease_token = @token AND status = 'processing'";
    private const string ReleaseLease = "lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL";

    private readonly DbConnection _connection;
    private readonly DbCommand _complete;
    private readonly DbCommand _retry;
    private readonly DbCommand _fail;
    private readonly DbCommand _cancel;
    private readonly DbCommand _requeue;
    private readonly DbCommand _progress;
    private readonly DbCommand _renew;

    public LeasedJobWriter(DbConnection connection)
    {
        _connection = connection;
        var dialect = SqlDialect.Of(connection);
        _complete = Prepare($"UPDATE jobs SET status = 'completed', output = {dialect.Json("@output")}, progress = 100, completed_at = @now, updated_at = @now, error_message = NULL, {ReleaseLease}{Fence}", "@output");
        _retry = Prepare($"UPDATE jobs SET status = 'queued', error_message = @error, run_after = @runAfter, retry_count = retry_count + 1, progress = 0, updated_at = @now, {ReleaseLease}{Fence}", "@error", "@runAfter");
        _fail = Prepare($"UPDATE jobs SET status = 'failed', error_message = @error, completed_at = @now, updated_at = @now, {ReleaseLease}{Fence}", "@error");
        _cancel = Prepare($"UPDATE jobs SET status = 'cancelled', error_message = @error, completed_at = @now, updated_at = @now, {ReleaseLease}{Fence}", "@error");
        // A graceful stop is not the job's fault: the attempt it was counted at claim is given back.
        _requeue = Prepare($"UPDATE jobs SET status = 'queued', attempts = {dialect.Greatest}(attempts - 1, 0), run_after = 0, progress = 0, started_at = NULL, updated_at = @now, {ReleaseLease}{Fence}");
        _progress = Prepare($"UPDATE jobs SET progress = @progress, updated_at = @now{Fence}", "@progress");
        _renew = Prepare($"UPDATE jobs SET lease_expires_at = @until{Fence}", "@until");
    }

    /// <summary>Writes outcomes (with their follow-ups) in one transaction.</summary>
    /// <returns>Per outcome, whether it was written (false: the lease was lost, nothing was changed).</returns>
    public bool[] ApplyOutcomes(IReadOnlyList<(ClaimedJob Job, JobOutcome Outcome)> batch, long nowMs)
    {
        var applied = new bool[batch.Count];
        var changes = new List<JobChange>(batch.Count);
        using var transaction = WriteTransaction.Begin(_connection);
        for (var i = 0; i < batch.Count; i++)
        {
            var (job, outcome) = batch[i];
            var command = outcome.Kind switch
            {
                OutcomeKind.Completed => Bind(_complete, job, nowMs, outcome.OutputJson ?? "{}"),
                OutcomeKind.Retry => Bind(_retry, job, nowMs, outcome.ErrorMessage, outcome.RunAfter),
                OutcomeKind.Failed => Bind(_fail, job, nowMs, outcome.ErrorMessage),
                OutcomeKind.Cancelled => Bind(_cancel, job, nowMs, outcome.ErrorMessage ?? "Cancelled on request."),
                OutcomeKind.Requeued => Bind(_requeue, job, nowMs),
                _ => throw new ArgumentOutOfRangeException(nameof(batch), outcome.Kind, "Unknown outcome."),
            };
            applied[i] = command.ExecuteNonQuery() == 1;
            if (applied[i] && WebhookEvents.EventOf(outcome.Kind) is { } webhookEvent)
            {
                changes.Add(JobChange.Of(job, webhookEvent, outcome));
            }

            if (applied[i] && outcome.Kind == OutcomeKind.Completed)
            {
                foreach (var followUp in outcome.FollowUps)
                {
                    JobSubmitter.Insert(_connection, followUp, nowMs);
                }
            }
        }

        WebhookEvents.JobsChanged(_connection, changes, nowMs); // webhooks (issue 16), one look-up for the batch

        // Pipelines (issue 17): a step job that ended moves its run on in this same transaction.
        Pipelines.Runs.StepAdvancer.AfterOutcomes(_connection, batch, applied, nowMs);

        transaction.Commit();
        return applied;
    }

    /// <summary>Writes progress values; returns per entry whether the lease still held.</summary>
    public bool[] UpdateProgress(IReadOnlyList<(ClaimedJob Job, int Progress)> batch, long nowMs)
    {
        var changes = new List<JobChange>();
        return Each(batch, nowMs, (entry, now) => Bind(_progress, entry.Job, now, entry.Progress),
            entry => changes.Add(JobChange.Of(entry.Job, JobEventType.Progress)),
            () => WebhookEvents.JobsChanged(_connection, changes, nowMs)); // webhooks (issue 16)
    }

    /// <summary>Extends leases; returns per job whether the lease still held.</summary>
    public bool[] RenewLeases(IReadOnlyList<ClaimedJob> jobs, long nowMs, TimeSpan lease) =>
        Each(jobs, nowMs, (job, now) => Bind(_renew, job, now, now + (long)lease.TotalMilliseconds));

    public void Dispose()
    {
        foreach (var command in new[] { _complete, _retry, _fail, _cancel, _requeue, _progress, _renew })
        {
            command.Dispose();
        }
    }

    private bool[] Each<T>(IReadOnlyList<T> items, long nowMs, Func<T, long, DbCommand> bind, Action<T>? changed = null, Action? beforeCommit = null)
    {
        var result = new bool[items.Count];
        if (items.Count == 0)
        {
            return result;
        }

        using var transaction = WriteTransaction.Begin(_connection);
        for (var i = 0; i < items.Count; i++)
        {
            var command = bind(items[i], nowMs);
            result[i] = command.ExecuteNonQuery() == 1;
            if (result[i])
            {
                changed?.Invoke(items[i]);
            }
        }

        beforeCommit?.Invoke();
        transaction.Commit();
        return result;
    }

    /// <summary>Parameters in order: @job, @token, @now, then <paramref name="extra"/>; <see cref="Bind"/> fills them by position.</summary>
    private DbCommand Prepare(string sql, params string[] extra)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in new[] { "@job", "@token", "@now" }.Concat(extra))
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            command.Parameters.Add(parameter);
        }

        return command;
    }

    private static DbCommand Bind(DbCommand command, ClaimedJob job, long nowMs, params object?[] values)
    {
        var parameters = command.Parameters;
        parameters[0].Value = job.JobId;
        parameters[1].Value = job.LeaseToken;
        parameters[2].Value = nowMs;
        for (var i = 0; i < values.Length; i++)
        {
            parameters[3 + i].Value = values[i] ?? DBNull.Value;
        }

        return command;
    }
}
