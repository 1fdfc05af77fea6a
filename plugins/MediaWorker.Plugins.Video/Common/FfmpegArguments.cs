using System.Globalization;

namespace MediaWorker.Plugins.Video.Common;

/// <summary>How numbers are written on ffmpeg command lines (invariant culture, no exponent).</summary>
internal static class FfmpegArguments
{
    public static string Seconds(TimeSpan value) => value.TotalSeconds.ToString("0.######", CultureInfo.InvariantCulture);

    public static string Integer(long value) => value.ToString(CultureInfo.InvariantCulture);
}
