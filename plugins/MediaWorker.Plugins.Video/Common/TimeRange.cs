using System.Globalization;
using MediaWorker.Plugins.Abstractions;

namespace MediaWorker.Plugins.Video.Common;

/// <summary>A <c>start</c>/<c>end</c> pair in seconds, checked against the input's duration.</summary>
internal readonly record struct TimeRange(TimeSpan Start, TimeSpan End)
{
    public TimeSpan Length => End - Start;

    /// <summary>
    /// Reads the range; a missing start is 0, a missing end (or one past the end) is the duration.
    /// Refuses negative times, an empty or reversed range, and a start at or beyond the end of the input.
    /// </summary>
    public static TimeRange Read(JobParameters parameters, TimeSpan duration, string startName = "start", string endName = "end")
    {
        var start = parameters.OptionalNumber(startName) ?? 0;
        var end = parameters.OptionalNumber(endName);
        if (start < 0)
        {
            throw JobParameters.Invalid(startName, $"must not be negative (got {Format(start)})");
        }

        if (end is { } e && e <= start)
        {
            throw new PermanentJobException(
                $"Parameter '{endName}' ({Format(e)} s) must be after '{startName}' ({Format(start)} s): the range would have a duration of {Format(e - start)} s.");
        }

        if (start >= duration.TotalSeconds)
        {
            throw new PermanentJobException(
                $"Parameter '{startName}' ({Format(start)} s) is at or beyond the end of the input, which lasts {Format(duration.TotalSeconds)} s.");
        }

        var stop = end is { } last && last < duration.TotalSeconds ? TimeSpan.FromSeconds(last) : duration;
        return new TimeRange(TimeSpan.FromSeconds(start), stop);
    }

    private static string Format(double seconds) => seconds.ToString("0.###", CultureInfo.InvariantCulture);
}
