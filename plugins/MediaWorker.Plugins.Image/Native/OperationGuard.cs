using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MediaWorker.Plugins.Image.Native;

/// <summary>
/// Stops ImageMagick work when the job is cancelled or its per-image time limit passes. Installed as
/// the wand's progress monitor, which coders and transforms call between rows: returning false makes
/// them stop early, after which <see cref="ThrowIfStopped"/> turns the stop into an exception.
/// </summary>
/// <remarks>
/// The monitor's client data is an id looked up in a registry rather than a GCHandle, so an image that
/// outlives its guard can never make the callback touch freed memory: an unknown id just continues.
/// A single long library call without progress reports (e.g. a HEIC decode in libheif) finishes
/// before the stop takes effect.
/// </remarks>
internal sealed unsafe class OperationGuard : IDisposable
{
    private static readonly ConcurrentDictionary<long, OperationGuard> Active = new();
    private static long _nextId;
    private readonly long _id;
    private readonly CancellationToken _cancellation;
    private readonly TimeSpan? _timeLimit;
    private readonly long _startedAt;
    private readonly TimeProvider _time;
    private volatile bool _timedOut;
    private int _stopRequests;

    public OperationGuard(TimeSpan? timeLimit, CancellationToken cancellation, TimeProvider? time = null)
    {
        _id = Interlocked.Increment(ref _nextId);
        _timeLimit = timeLimit;
        _cancellation = cancellation;
        _time = time ?? TimeProvider.System;
        _startedAt = _time.GetTimestamp();
        Active[_id] = this;
    }

    /// <summary>Installs this guard as the wand's progress monitor; images read or made later inherit it.</summary>
    public void Attach(MagickWandHandle wand) =>
        MagickWandApi.MagickSetProgressMonitor(wand, &OnProgress, new IntPtr(_id));

    /// <summary>Throws when the work was stopped (or should be, checked between native calls).</summary>
    /// <exception cref="OperationCanceledException">The job was cancelled.</exception>
    /// <exception cref="TimeoutException">The per-image time limit passed.</exception>
    public void ThrowIfStopped()
    {
        _cancellation.ThrowIfCancellationRequested();
        if (_timedOut || IsPastLimit())
        {
            throw new TimeoutException($"The image took longer than the per-image time limit of {_timeLimit!.Value.TotalSeconds:0} s (IMAGE_TIME_LIMIT).");
        }
    }

    /// <summary>How often the progress monitor told ImageMagick to stop (for tests and diagnostics).</summary>
    public int StopRequests => Volatile.Read(ref _stopRequests);

    public void Dispose() => Active.TryRemove(_id, out _);

    private bool IsPastLimit() => _timeLimit is { } limit && _time.GetElapsedTime(_startedAt) > limit;

    private bool ShouldContinue()
    {
        if (_cancellation.IsCancellationRequested)
        {
            return false;
        }

        if (IsPastLimit())
        {
            _timedOut = true;
            return false;
        }

        return true;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int OnProgress(byte* text, long offset, ulong span, IntPtr clientData)
    {
        // Never let an exception cross into C: an unknown id (a guard already disposed) continues.
        try
        {
            if (Active.TryGetValue(clientData.ToInt64(), out var guard) && !guard.ShouldContinue())
            {
                Interlocked.Increment(ref guard._stopRequests);
                return 0;
            }

            return 1;
        }
        catch
        {
            return 1;
        }
    }
}
