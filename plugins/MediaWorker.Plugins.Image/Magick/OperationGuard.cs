using ImageMagick;

namespace MediaWorker.Plugins.Image.Magick;

/// <summary>
/// Stops ImageMagick work when the job is cancelled or its per-image time limit passes. It answers
/// the progress events that transforms and encoders raise between rows: a cancelled event makes
/// ImageMagick abandon the operation, after which <see cref="ThrowIfStopped"/> turns the stop into
/// an exception.
/// </summary>
/// <remarks>
/// Magick.NET raises no progress while reading, so a decode in progress always runs to its end;
/// ImageMagick's own time limit (the <c>time</c> resource, set from IMAGE_TIME_LIMIT) bounds it.
/// A cancelled operation leaves its image unusable (Magick.NET drops it), which is fine: the job is over.
/// </remarks>
internal sealed class OperationGuard
{
    private readonly CancellationToken _cancellation;
    private readonly TimeSpan? _timeLimit;
    private readonly long _startedAt;
    private readonly TimeProvider _time;
    private int _stopRequests;

    public OperationGuard(TimeSpan? timeLimit, CancellationToken cancellation, TimeProvider? time = null)
    {
        _timeLimit = timeLimit;
        _cancellation = cancellation;
        _time = time ?? TimeProvider.System;
        _startedAt = _time.GetTimestamp();
    }

    /// <summary>How often a progress event was told to stop (for tests and diagnostics).</summary>
    public int StopRequests => Volatile.Read(ref _stopRequests);

    /// <summary>Answers <paramref name="image"/>'s progress events from now on.</summary>
    public void Watch(IMagickImage<byte> image)
    {
        ArgumentNullException.ThrowIfNull(image);
        image.Progress += OnProgress;
    }

    /// <summary>Answers the progress events of every image of <paramref name="images"/>.</summary>
    public void Watch(IMagickImageCollection<byte> images)
    {
        ArgumentNullException.ThrowIfNull(images);
        foreach (var image in images)
        {
            Watch(image);
        }
    }

    /// <summary>Throws when the work was stopped or should stop (checked between operations).</summary>
    /// <exception cref="OperationCanceledException">The job was cancelled.</exception>
    /// <exception cref="TimeoutException">The per-image time limit passed.</exception>
    public void ThrowIfStopped()
    {
        _cancellation.ThrowIfCancellationRequested();
        if (IsPastLimit())
        {
            throw new TimeoutException($"The image took longer than the per-image time limit of {_timeLimit!.Value.TotalSeconds:0} s (IMAGE_TIME_LIMIT).");
        }
    }

    private bool IsPastLimit() => _timeLimit is { } limit && _time.GetElapsedTime(_startedAt) > limit;

    private void OnProgress(object? sender, ProgressEventArgs e)
    {
        if (_cancellation.IsCancellationRequested || IsPastLimit())
        {
            Interlocked.Increment(ref _stopRequests);
            e.Cancel = true;
        }
    }
}
