using System.Text.Json;
using System.Text.Json.Nodes;
using MediaWorker.Execution.Writing;
using MediaWorker.Files;
using MediaWorker.Plugins;
using MediaWorker.Plugins.Validation;
using MediaWorker.Storage;
using Microsoft.Extensions.Logging;

namespace MediaWorker.Execution;

/// <summary>
/// Runs one claimed job from start to written outcome: parameters parsed and validated, the handler
/// executed under the job's token and timeout, the outcome classified and handed to the writer,
/// which writes it under the lease and announces it after the commit. The loop that claims jobs
/// lives in <see cref="ClaimLoop"/>.
/// </summary>
public sealed class JobRunner(
    TaskCatalog catalog,
    SandboxPolicy sandbox,
    OutcomeClassifier classifier,
    DatabaseWriter writer,
    IJobStore connections,
    ILogger logger,
    string workerId,
    TimeProvider time,
    DatabaseAvailability availability)
{
    public async Task RunOneAsync(ActiveJob active)
    {
        var job = active.Job;
        var jobLogger = new JobLogger(logger, job.JobId, job.TaskType);
        jobLogger.LogDebug("Started attempt {Attempt} of {MaxAttempts}.", job.Attempt, job.MaxAttempts);

        var files = new JobFileSandbox(sandbox, job.JobId, job.Attempt);
        var timeout = TimeSpan.Zero;
        JobOutcome outcome;
        try
        {
            // Checkpoint: from here until the outcome is written the job is ours; a crash leaves it
            // 'processing' with a lease that expires, and another worker reclaims it.
            outcome = await ExecuteAsync(active, files, jobLogger, t => timeout = t);
        }
        catch (Exception ex)
        {
            outcome = classifier.Classify(job, ex, active.StopReason, timeout, time.GetUtcNow().ToUnixTimeMilliseconds());
        }
        finally
        {
            files.DeleteScratch();
        }

        await RecordAsync(active, outcome, jobLogger);
    }

    private async Task<JobOutcome> ExecuteAsync(ActiveJob active, JobFileSandbox files, ILogger jobLogger, Action<TimeSpan> timeoutChosen)
    {
        var job = active.Job;
        if (job.UnreadableRunAfter is { } runAfter)
        {
            return new JobOutcome(OutcomeKind.Failed) { ErrorMessage = ForeignRowMessages.UnreadableRunAfter(runAfter) };
        }

        if (!catalog.Current.Tasks.TryGetValue(job.TaskType, out var task))
        {
            // Only served types are claimed, so this is a plugin that went away between claim and start.
            return new JobOutcome(OutcomeKind.Requeued);
        }

        JsonObject parameters;
        try
        {
            parameters = JobParameters.Parse(job.ParamsJson);
        }
        catch (JsonException ex)
        {
            return OutcomeClassifier.InvalidParams($"params must be a JSON object: {ex.Message}");
        }

        var errors = ParameterValidator.Validate(task.Descriptor.ParameterSchema, parameters);
        if (errors.Count > 0)
        {
            return OutcomeClassifier.InvalidParams($"Invalid parameters for {job.TaskType}: {string.Join("; ", errors)}");
        }

        var timeout = job.TimeoutSeconds is > 0 ? TimeSpan.FromSeconds(job.TimeoutSeconds.Value) : task.Descriptor.DefaultTimeout;
        timeoutChosen(timeout);
        active.StopAfter(timeout);
        var followUps = new FollowUpCollector(job.JobId, workerId);
        var checkpoints = new JobCheckpoints(active, writer, connections, workerId, sandbox.JobOutputDirectory(job.JobId));
        var context = new JobContext(active, parameters, files, followUps, checkpoints, jobLogger);
        var output = await task.Handler.ExecuteAsync(context, active.Token);
        return new JobOutcome(OutcomeKind.Completed)
        {
            OutputJson = (output ?? []).ToJsonString(),
            FollowUps = followUps.Jobs,
        };
    }

    private async Task RecordAsync(ActiveJob active, JobOutcome outcome, ILogger jobLogger)
    {
        var job = active.Job;
        active.BeginSettling();
        bool written;
        try
        {
            written = await writer.SettleAsync(job, outcome, active.Progress);
        }
        catch (Exception ex)
        {
            // The lease will expire and another attempt will run: nothing is lost, but say so.
            if (availability.Report(ex))
            {
                jobLogger.LogWarning("Could not record the outcome ({Outcome}): the job database is gone or cannot be written; the job will be reclaimed when its lease expires.", outcome.Kind);
                return;
            }

            jobLogger.LogError(ex, "Could not record the outcome ({Outcome}); the job will be reclaimed when its lease expires.", outcome.Kind);
            return;
        }

        if (!written)
        {
            jobLogger.LogWarning("The job's lease was lost (reclaimed by another worker or settled elsewhere); this attempt's {Outcome} was discarded.", outcome.Kind);
            return;
        }

        switch (outcome.Kind)
        {
            case OutcomeKind.Completed:
                // Debug, not Information: at tens of thousands of jobs per second the log would be the bottleneck;
                // failures, retries and cancellations stay visible at Information and above.
                jobLogger.LogDebug("Completed in {ElapsedMs} ms.", time.GetUtcNow().ToUnixTimeMilliseconds() - job.StartedAt);
                break;
            case OutcomeKind.Retry:
                jobLogger.LogWarning("Attempt failed, will retry: {Error}", outcome.ErrorMessage);
                break;
            case OutcomeKind.Failed:
                jobLogger.LogWarning("Failed: {Error}", outcome.ErrorMessage);
                break;
            case OutcomeKind.Cancelled:
                jobLogger.LogInformation("Cancelled.");
                break;
            case OutcomeKind.Requeued:
                jobLogger.LogInformation("Put back in the queue without spending an attempt (worker stopping).");
                break;
        }
    }
}
