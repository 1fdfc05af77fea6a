using System.Globalization;
using System.Text.Json;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Storage;

namespace MediaWorker.Execution;

/// <summary>
/// The one place that maps how an attempt ended (an exception, or the reason its token fired) to
/// the row's next state: permanent failures fail at once, everything else retries with backoff
/// until the last attempt, cancellation and shutdown have their own outcomes.
/// </summary>
public sealed class OutcomeClassifier(ExponentialBackoff backoff)
{
    public JobOutcome Classify(ClaimedJob job, Exception exception, StopReason stopReason, TimeSpan timeout, long nowMs)
    {
        if (exception is OperationCanceledException || stopReason != StopReason.None)
        {
            switch (stopReason)
            {
                case StopReason.CancelRequested:
                    return new JobOutcome(OutcomeKind.Cancelled) { ErrorMessage = "Cancelled on request while running." };
                case StopReason.Shutdown:
                case StopReason.LeaseLost:
                    return new JobOutcome(OutcomeKind.Requeued);
                case StopReason.TimedOut:
                    return RetryOrFail(job, $"Timed out after {timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s (the job's timeout_seconds or the task's default timeout).", null, nowMs);
            }
        }

        return exception switch
        {
            PermanentJobException permanent => new JobOutcome(OutcomeKind.Failed) { ErrorMessage = permanent.Message },
            RetryableJobException retryable => RetryOrFail(job, retryable.Message, retryable.RetryAfter, nowMs),
            _ => RetryOrFail(job, Describe(exception), null, nowMs),
        };
    }

    /// <summary>A job whose params are not a JSON object can never succeed.</summary>
    public static JobOutcome InvalidParams(string detail) => new(OutcomeKind.Failed) { ErrorMessage = detail };

    private JobOutcome RetryOrFail(ClaimedJob job, string message, TimeSpan? retryAfter, long nowMs)
    {
        if (job.IsLastAttempt)
        {
            return new JobOutcome(OutcomeKind.Failed)
            {
                ErrorMessage = string.Create(CultureInfo.InvariantCulture, $"{message} (attempt {job.Attempt} of {job.MaxAttempts}; no attempts left)"),
            };
        }

        var delay = backoff.Delay(job.Attempt, retryAfter);
        return new JobOutcome(OutcomeKind.Retry)
        {
            ErrorMessage = string.Create(CultureInfo.InvariantCulture, $"{message} (attempt {job.Attempt} of {job.MaxAttempts}; retrying in {delay.TotalSeconds:0.#} s)"),
            RunAfter = nowMs + (long)delay.TotalMilliseconds,
        };
    }

    private static string Describe(Exception exception) => exception switch
    {
        JsonException json => $"The handler produced or read invalid JSON: {json.Message}",
        AggregateException { InnerExceptions.Count: 1 } aggregate => Describe(aggregate.InnerExceptions[0]),
        _ => $"{exception.GetType().Name}: {exception.Message}",
    };
}
