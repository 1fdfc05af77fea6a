namespace MediaWorker.Execution;

/// <summary>
/// When a retryable failure may run again: base × 2^(attempt−1), capped, with "equal jitter" (half
/// fixed, half random) so workers that failed together do not retry in lockstep; never sooner
/// than a delay the failure itself asked for (a server's Retry-After).
/// </summary>
public sealed class RetryBackoff(TimeSpan baseDelay, TimeSpan maxDelay, Random? random = null)
{
    private readonly Random _random = random ?? Random.Shared;

    public TimeSpan Delay(int attempt, TimeSpan? requested = null)
    {
        var exponent = Math.Clamp(attempt - 1, 0, 30);
        var capped = Math.Min(baseDelay.TotalMilliseconds * Math.Pow(2, exponent), maxDelay.TotalMilliseconds);
        var jittered = (capped / 2) + (_random.NextDouble() * capped / 2);
        var delay = TimeSpan.FromMilliseconds(jittered);
        return requested is { } floor && floor > delay ? floor : delay;
    }
}
