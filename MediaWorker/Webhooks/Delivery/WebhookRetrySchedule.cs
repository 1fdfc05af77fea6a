using MediaWorker.Plugins.Abstractions;

namespace MediaWorker.Webhooks.Delivery;

/// <summary>
/// When a delivery is tried again: the shared <see cref="ExponentialBackoff"/> (capped exponential, equal
/// jitter) over WEBHOOK_RETRY_BASE and WEBHOOK_RETRY_MAX, never sooner than the receiver's
/// Retry-After. With the defaults (15 s, 1 h) the 37 attempts span 15 to 29 hours, about a day,
/// before the delivery ends failed with its last response code and body excerpt.
/// </summary>
public sealed class WebhookRetrySchedule(TimeSpan baseDelay, TimeSpan maxDelay, Random? random = null)
{
    /// <summary>Retries after the first attempt: written as the delivery job's max_retries.</summary>
    public const int MaxRetries = 36;

    /// <summary>A Retry-After longer than this is cut to it: one endpoint's answer must not park a delivery for weeks.</summary>
    private static readonly TimeSpan LongestRetryAfter = TimeSpan.FromDays(1);

    private readonly ExponentialBackoff _backoff = new(baseDelay, maxDelay, random);

    /// <summary>The wait after failed attempt <paramref name="attempt"/> (1-based).</summary>
    public TimeSpan Delay(int attempt, TimeSpan? retryAfter) =>
        _backoff.Delay(attempt, retryAfter is { } asked && asked > LongestRetryAfter ? LongestRetryAfter : retryAfter);
}
