using System.Text.Json.Nodes;

namespace MediaWorker.Plugins.Video.Common;

/// <summary>Small conventions for task outputs: times in seconds with millisecond precision, file lists.</summary>
internal static class JsonOutput
{
    public static double Seconds(TimeSpan value) => Math.Round(value.TotalSeconds, 3);

    public static double Seconds(double value) => Math.Round(value, 3);

    public static JsonArray Files(IEnumerable<string> paths) => new([.. paths.Select(p => JsonValue.Create(p))]);
}
