using System.Globalization;

namespace MediaWorker.Execution;

/// <summary>
/// A thread-safe latency histogram from 1 µs to about an hour: eight buckets per power of two (each
/// about 9 % wide), so percentiles are read to within a bucket without keeping samples.
/// </summary>
public sealed class LatencyHistogram
{
    private const int SubBuckets = 8;
    private const int Powers = 32;
    private readonly long[] _counts = new long[Powers * SubBuckets];
    private long _total;
    private long _maxMicroseconds;

    public long Count => Interlocked.Read(ref _total);

    public double MaxMicroseconds => Interlocked.Read(ref _maxMicroseconds);

    public void Record(TimeSpan elapsed)
    {
        var us = Math.Max(1, (long)elapsed.TotalMicroseconds);
        Interlocked.Increment(ref _counts[Index(us)]);
        Interlocked.Increment(ref _total);
        var max = Interlocked.Read(ref _maxMicroseconds);
        while (us > max && Interlocked.CompareExchange(ref _maxMicroseconds, us, max) != max)
        {
            max = Interlocked.Read(ref _maxMicroseconds);
        }
    }

    /// <summary>The upper edge of the bucket holding quantile <paramref name="q"/> (0..1), in microseconds; 0 when empty.</summary>
    public double PercentileMicroseconds(double q)
    {
        var total = Count;
        if (total == 0)
        {
            return 0;
        }

        var rank = (long)Math.Ceiling(q * total);
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += Interlocked.Read(ref _counts[i]);
            if (seen >= Math.Max(1, rank))
            {
                return Math.Min(UpperEdge(i), MaxMicroseconds);
            }
        }

        return MaxMicroseconds;
    }

    /// <summary>
    /// How many samples fell in [<paramref name="from"/>, <paramref name="to"/>), to within a bucket:
    /// a bucket counts when its upper edge lies in the range.
    /// </summary>
    public long CountBetween(TimeSpan from, TimeSpan to)
    {
        long count = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            var edge = UpperEdge(i);
            if (edge > from.TotalMicroseconds && edge <= to.TotalMicroseconds)
            {
                count += Interlocked.Read(ref _counts[i]);
            }
        }

        return count;
    }

    /// <summary>"n=… p50=…µs p99=…µs max=…µs", the form the worker logs and the benchmark and tests read.</summary>
    public string Summary() => string.Create(
        CultureInfo.InvariantCulture,
        $"n={Count} p50={PercentileMicroseconds(0.50):0}us p99={PercentileMicroseconds(0.99):0}us max={MaxMicroseconds:0}us");

    private static int Index(long us)
    {
        var power = 63 - (int)long.LeadingZeroCount(us);
        var sub = power >= 3 ? (int)((us >> (power - 3)) & (SubBuckets - 1)) : (int)(us - (1L << power));
        return Math.Min((power * SubBuckets) + sub, (Powers * SubBuckets) - 1);
    }

    private static double UpperEdge(int index)
    {
        var power = index / SubBuckets;
        var sub = index % SubBuckets;
        return power >= 3 ? Math.Pow(2, power) * (1 + ((sub + 1) / (double)SubBuckets)) : Math.Pow(2, power) + sub + 1;
    }
}
