namespace MediaWorker.Plugins.Abstractions;

/// <summary>
/// Capped exponential backoff: base × 2^(attempt−1), capped, with "equal jitter" (half fixed, half
/// random) so workers that failed together do not retry in lockstep; never sooner than a delay the
/// failure itself asked for (a server's Retry-After). The host uses it between a job's attempts;
/// a handler that retries inside one attempt (a stream reconnecting) uses it too.
/// </summary>
/// <param name="baseDelay">The first delay.</param>
/// <param name="maxDelay">The cap.</param>
/// <param name="random">The jitter source; <see langword="null"/> for a shared one.</param>
public sealed class RetryBackoff(TimeSpan baseDelay, TimeSpan maxDelay, Random? random = null)
{
    private readonly Random _random = random ?? Random.Shared;

    /// <summary>The delay before attempt <paramref name="attempt"/> + 1, given <paramref name="attempt"/> failures so far.</summary>
    /// <param name="attempt">How many attempts have failed (1 for the first failure).</param>
    /// <param name="requested">A floor the failure asked for, if any.</param>
    public TimeSpan Delay(int attempt, TimeSpan? requested = null)
    {
        var exponent = Math.Clamp(attempt - 1, 0, 30);
        var capped = Math.Min(baseDelay.TotalMilliseconds * Math.Pow(2, exponent), maxDelay.TotalMilliseconds);
        var jittered = (capped / 2) + (_random.NextDouble() * capped / 2);
        var delay = TimeSpan.FromMilliseconds(jittered);
        return requested is { } floor && floor > delay ? floor : delay;
    }
}
