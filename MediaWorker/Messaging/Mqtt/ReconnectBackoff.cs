namespace MediaWorker.Messaging.Mqtt;

/// <summary>
/// Capped exponential backoff with jitter for reconnect attempts: min, 2·min, 4·min, ... up to max,
/// each drawn from [d/2, d] so that many workers restarted with one broker do not reconnect in step.
/// </summary>
internal sealed class ReconnectBackoff
{
    private readonly TimeSpan _min;
    private readonly TimeSpan _max;
    private int _failures;

    public ReconnectBackoff(TimeSpan min, TimeSpan max)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(min, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, min);
        _min = min;
        _max = max;
    }

    /// <summary>The delay before the next attempt; each call doubles the following one until the cap.</summary>
    public TimeSpan Next()
    {
        var ceiling = _min.TotalMilliseconds * Math.Pow(2, Math.Min(_failures, 30));
        var delay = Math.Min(ceiling, _max.TotalMilliseconds);
        _failures++;
        return TimeSpan.FromMilliseconds((delay / 2) + (Random.Shared.NextDouble() * delay / 2));
    }

    /// <summary>Back to the shortest delay, after a connection that held.</summary>
    public void Reset() => _failures = 0;
}
