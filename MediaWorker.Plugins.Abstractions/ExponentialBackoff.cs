namespace MediaWorker.Plugins.Abstractions;

/// <summary>
/// How long to wait before the next try of something that failed: <c>base × 2^(attempt − 1)</c>,
/// capped at a maximum, with "equal jitter" (half of it fixed, half random) so that processes that
/// failed together do not retry in lockstep. The one backoff of the daemon and its plugins: job
/// retries, database probes, MQTT reconnects and in-call HTTP retries all use it.
/// </summary>
/// <remarks>
/// Stateless and thread-safe: the caller counts its attempts. The delay for attempt <c>n</c> lies in
/// <c>[d / 2, d]</c> with <c>d = min(base × 2^(n − 1), max)</c>, and never below a delay the failure
/// itself asked for (a server's Retry-After).
/// </remarks>
public sealed class ExponentialBackoff
{
    private readonly double _baseMs;
    private readonly double _maxMs;
    private readonly Random _random;

    /// <summary>Creates a backoff.</summary>
    /// <param name="baseDelay">The ceiling of the first attempt's delay (zero: retry at once).</param>
    /// <param name="maxDelay">The cap of every delay; at least <paramref name="baseDelay"/>.</param>
    /// <param name="random">The jitter's source (tests pass a seeded one); <see cref="Random.Shared"/> when null.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="baseDelay"/> is negative or <paramref name="maxDelay"/> is below it.</exception>
    public ExponentialBackoff(TimeSpan baseDelay, TimeSpan maxDelay, Random? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(baseDelay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDelay, baseDelay);
        BaseDelay = baseDelay;
        MaxDelay = maxDelay;
        _baseMs = baseDelay.TotalMilliseconds;
        _maxMs = maxDelay.TotalMilliseconds;
        _random = random ?? Random.Shared;
    }

    /// <summary>The ceiling of the first attempt's delay.</summary>
    public TimeSpan BaseDelay { get; }

    /// <summary>The cap of every delay.</summary>
    public TimeSpan MaxDelay { get; }

    /// <summary>The ceiling <c>min(base × 2^(attempt − 1), max)</c> that the delay of <paramref name="attempt"/> is drawn below.</summary>
    /// <param name="attempt">The attempt that failed, starting at 1 (smaller values count as 1).</param>
    /// <returns>The delay before jitter.</returns>
    public TimeSpan Ceiling(int attempt)
    {
        var exponent = Math.Clamp(attempt - 1, 0, 30);
        return TimeSpan.FromMilliseconds(Math.Min(_baseMs * Math.Pow(2, exponent), _maxMs));
    }

    /// <summary>The delay after the failure of <paramref name="attempt"/>, jittered within <c>[ceiling / 2, ceiling]</c>.</summary>
    /// <param name="attempt">The attempt that failed, starting at 1 (smaller values count as 1).</param>
    /// <param name="requested">A delay the failure asked for (Retry-After); the result is never shorter.</param>
    /// <returns>How long to wait before the next attempt.</returns>
    public TimeSpan Delay(int attempt, TimeSpan? requested = null)
    {
        var ceiling = Ceiling(attempt).TotalMilliseconds;
        var delay = TimeSpan.FromMilliseconds((ceiling / 2) + (_random.NextDouble() * ceiling / 2));
        return requested is { } floor && floor > delay ? floor : delay;
    }
}
