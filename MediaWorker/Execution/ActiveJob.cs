using MediaWorker.Storage;

namespace MediaWorker.Execution;

/// <summary>A job running in this process: its lease, its stop switch and its latest progress.</summary>
public sealed class ActiveJob : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private int _stopReason;
    private int _progress;
    private int _writtenProgress;
    private bool _settling;
    private CancellationTokenSource? _timeout;
    private CancellationTokenRegistration _timeoutRegistration;

    private readonly TimeProvider _time;
    private Action? _settlingStarted;

    /// <param name="job">The claimed attempt.</param>
    /// <param name="time">The clock for the job's timeout.</param>
    /// <param name="settlingStarted">Called once, when the attempt has finished and its outcome goes to the writer.</param>
    public ActiveJob(ClaimedJob job, TimeProvider time, Action? settlingStarted = null)
    {
        Job = job;
        _time = time;
        _settlingStarted = settlingStarted;
    }

    public ClaimedJob Job { get; }

    public CancellationToken Token => _stop.Token;

    public StopReason StopReason => (StopReason)Volatile.Read(ref _stopReason);

    public int Progress => Volatile.Read(ref _progress);

    /// <summary>
    /// The outcome has been handed to the writer: leases and progress are no longer renewed or
    /// written for it, and a renewal that finds the job already settled is not a lost lease.
    /// </summary>
    public bool IsSettling => Volatile.Read(ref _settling);

    /// <summary>Marks the attempt as finished, before its outcome is written.</summary>
    public void BeginSettling()
    {
        Volatile.Write(ref _settling, true);
        Interlocked.Exchange(ref _settlingStarted, null)?.Invoke();
    }

    /// <summary>Progress last written to the database (the monitor writes only changes).</summary>
    public int WrittenProgress
    {
        get => Volatile.Read(ref _writtenProgress);
        set => Volatile.Write(ref _writtenProgress, value);
    }

    /// <summary>When progress was last written (and its event announced).</summary>
    public DateTimeOffset LastProgressWriteAt { get; set; } = DateTimeOffset.MinValue;

    public void ReportProgress(int value) => Volatile.Write(ref _progress, Math.Clamp(value, 0, 100));

    /// <summary>Fires the job's token; the first reason wins.</summary>
    public void Stop(StopReason reason)
    {
        if (Interlocked.CompareExchange(ref _stopReason, (int)reason, (int)StopReason.None) == (int)StopReason.None)
        {
            try
            {
                _stop.Cancel();
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    /// <summary>Stops the job with <see cref="StopReason.TimedOut"/> once <paramref name="timeout"/> has passed.</summary>
    public void StopAfter(TimeSpan timeout)
    {
        _timeout = new CancellationTokenSource(timeout, _time);
        _timeoutRegistration = _timeout.Token.Register(() => Stop(StopReason.TimedOut));
    }

    public void Dispose()
    {
        _timeoutRegistration.Dispose();
        _timeout?.Dispose();
        _stop.Dispose();
    }
}
