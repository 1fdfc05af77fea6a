using System.Globalization;
using System.Text.Json.Nodes;
using MediaWorker.Plugins.Abstractions;

namespace MediaWorker.Plugins.BuiltIn;

/// <summary>
/// <c>sleep</c>: waits <c>seconds</c> (a number &gt;= 0), reporting progress, and stops at once when
/// cancelled; returns <c>{"slept_seconds": seconds}</c>. Shows timeouts, cancellation, progress and
/// concurrency without any media.
/// </summary>
internal sealed class SleepHandler(TimeProvider timeProvider) : ITaskHandler
{
    /// <summary>The longest sleep accepted: one day.</summary>
    public const double MaxSeconds = 86_400;

    /// <summary>Progress is reported at most every this long (and in at most 100 steps).</summary>
    private static readonly TimeSpan MinProgressStep = TimeSpan.FromMilliseconds(500);

    public TaskDescriptor Descriptor { get; } = new()
    {
        TaskType = "sleep",
        Description = "Waits the given number of seconds, reporting progress; honours cancellation at once.",
        // Longer than the longest allowed sleep, so only a job's own timeout cuts a sleep short.
        DefaultTimeout = TimeSpan.FromSeconds(MaxSeconds) + TimeSpan.FromMinutes(1),
        ParameterSchema = new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                ["seconds"] = new JsonObject
                {
                    ["type"] = "number",
                    ["minimum"] = 0,
                    ["maximum"] = MaxSeconds,
                    ["description"] = "How long to wait, in seconds; fractions such as 0.25 are allowed.",
                },
            },
            ["required"] = new JsonArray("seconds"),
            ["additionalProperties"] = false,
        },
    };

    public async Task<JsonObject> ExecuteAsync(IJobContext job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var seconds = ReadSeconds(job.Parameters);
        var total = TimeSpan.FromSeconds(seconds);
        var step = TimeSpan.FromTicks(Math.Max(total.Ticks / 100, MinProgressStep.Ticks));
        var started = timeProvider.GetTimestamp();
        while (timeProvider.GetElapsedTime(started) is var elapsed && elapsed < total)
        {
            var left = total - elapsed;
            await Task.Delay(left < step ? left : step, timeProvider, cancellationToken);
            var done = timeProvider.GetElapsedTime(started);
            if (done < total)
            {
                job.Progress.Report((int)(100 * done.Ticks / total.Ticks));
            }
        }

        return new JsonObject { ["slept_seconds"] = seconds };
    }

    /// <remarks>The host validated the schema already; this guards a direct call (tests, another host).</remarks>
    private static double ReadSeconds(JsonObject parameters)
    {
        if (parameters["seconds"] is JsonValue value
            && double.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            && seconds is >= 0 and <= MaxSeconds)
        {
            return seconds;
        }

        throw new PermanentJobException(
            $"params.seconds: must be a number from 0 to {MaxSeconds.ToString(CultureInfo.InvariantCulture)} (got {parameters["seconds"]?.ToJsonString() ?? "nothing"})");
    }
}
