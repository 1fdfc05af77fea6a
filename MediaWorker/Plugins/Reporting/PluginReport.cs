using System.Globalization;
using System.Text.Json.Nodes;
using MediaWorker.Plugins.BuiltIn;
using MediaWorker.Plugins.Validation;
using MediaWorker.Storage;

namespace MediaWorker.Plugins.Reporting;

/// <summary>
/// What <c>mediaworker plugins</c> prints: every loaded plugin with its tasks (description, version,
/// default timeout, concurrency limit, parameters) and every plugin folder that failed, with why.
/// </summary>
internal static class PluginReport
{
    /// <summary>The machine-readable form (<c>--json</c>); <paramref name="paused"/> marks paused task types.</summary>
    public static JsonObject ToJson(TaskRegistry registry, string pluginDirectory, IReadOnlyList<QueuePause>? paused = null) => new()
    {
        ["plugin_dir"] = pluginDirectory,
        ["plugin_dir_exists"] = Directory.Exists(pluginDirectory),
        ["plugins"] = new JsonArray([.. registry.Plugins.Select(plugin => (JsonNode)new JsonObject
        {
            ["name"] = plugin.Name,
            ["version"] = plugin.Version,
            ["directory"] = plugin.Directory,
            ["builtin"] = plugin.Name == BuiltInPlugin.Name,
            ["tasks"] = new JsonArray([.. plugin.Tasks.Select(t => (JsonNode)TaskJson(registry.Tasks[t], paused))]),
        })]),
        ["paused_queues"] = new JsonArray([.. (paused ?? []).Select(p => (JsonNode)PauseJson(p))]),
        ["failures"] = new JsonArray([.. registry.Failures.Select(failure => (JsonNode)new JsonObject
        {
            ["directory"] = failure.Directory,
            ["name"] = failure.Name,
            ["reason"] = failure.Reason,
        })]),
    };

    /// <summary>The human-readable form; <paramref name="paused"/> marks paused task types.</summary>
    public static void WriteText(TaskRegistry registry, string pluginDirectory, TextWriter output, IReadOnlyList<QueuePause>? paused = null)
    {
        var exists = Directory.Exists(pluginDirectory);
        output.WriteLine($"Plugin directory: {pluginDirectory}{(exists ? string.Empty : " (does not exist; only the built-in tasks are available)")}");
        foreach (var plugin in registry.Plugins)
        {
            output.WriteLine();
            var where = plugin.Name == BuiltInPlugin.Name ? "built into mediaworker" : plugin.Directory;
            output.WriteLine($"{plugin.Name} {plugin.Version} ({where})");
            foreach (var task in plugin.Tasks.Select(t => registry.Tasks[t]))
            {
                var descriptor = task.Descriptor;
                output.WriteLine($"  {descriptor.TaskType} {descriptor.Version}: {descriptor.Description}");
                if (paused?.FirstOrDefault(p => p.TaskType == descriptor.TaskType) is { } pause)
                {
                    output.WriteLine($"    PAUSED since {Time(pause.PausedAt)}{(pause.Reason is null ? string.Empty : $" ({pause.Reason})")}: 'mediaworker resume {descriptor.TaskType}' restarts it");
                }

                var concurrency = descriptor.MaxConcurrency is { } limit
                    ? $"at most {limit.ToString(CultureInfo.InvariantCulture)} at once per worker"
                    : "up to the worker's concurrency";
                output.WriteLine($"    timeout {Duration(descriptor.DefaultTimeout)}, {concurrency}");
                var parameters = ParameterSummary.Describe(descriptor.ParameterSchema);
                if (parameters.Count == 0)
                {
                    output.WriteLine($"    parameters: {ParameterSummary.WithoutParameters(descriptor.ParameterSchema)}");
                    continue;
                }

                output.WriteLine("    parameters:");
                foreach (var line in parameters)
                {
                    output.WriteLine($"      {line}");
                }
            }

            if (plugin.Tasks.Count == 0)
            {
                output.WriteLine("  (no tasks)");
            }
        }

        if (registry.Failures.Count > 0)
        {
            output.WriteLine();
            output.WriteLine($"Failed to load ({registry.Failures.Count.ToString(CultureInfo.InvariantCulture)}):");
            foreach (var failure in registry.Failures)
            {
                output.WriteLine($"  {failure.Directory}{(failure.Name is null ? string.Empty : $" ({failure.Name})")}");
                output.WriteLine($"    {failure.Reason}");
            }
        }

        output.WriteLine();
        output.WriteLine(
            $"{Count(registry.Plugins.Count, "plugin")} loaded with {Count(registry.Tasks.Count, "task type")}; {Count(registry.Failures.Count, "plugin folder")} failed to load.");
    }

    /// <summary>A timeout as people write it: <c>20s</c>, <c>30m</c>, <c>24h 1m</c>.</summary>
    internal static string Duration(TimeSpan span)
    {
        if (span < TimeSpan.FromMinutes(1))
        {
            return span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s";
        }

        var parts = new List<string>();
        var hours = (long)span.TotalHours;
        if (hours > 0)
        {
            parts.Add($"{hours.ToString(CultureInfo.InvariantCulture)}h");
        }

        if (span.Minutes > 0)
        {
            parts.Add($"{span.Minutes.ToString(CultureInfo.InvariantCulture)}m");
        }

        if (span.Seconds > 0)
        {
            parts.Add($"{span.Seconds.ToString(CultureInfo.InvariantCulture)}s");
        }

        return string.Join(" ", parts);
    }

    /// <summary>A pause as the API and <c>plugins --json</c> show it.</summary>
    public static JsonObject PauseJson(QueuePause pause) => new()
    {
        ["task_type"] = pause.TaskType,
        ["paused_at"] = pause.PausedAt,
        ["paused_by"] = pause.PausedBy,
        ["reason"] = pause.Reason,
    };

    private static string Time(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    private static JsonObject TaskJson(RegisteredTask task, IReadOnlyList<QueuePause>? paused) => new()
    {
        ["task_type"] = task.Descriptor.TaskType,
        ["paused"] = paused?.Any(p => p.TaskType == task.Descriptor.TaskType) ?? false,
        ["description"] = task.Descriptor.Description,
        ["version"] = task.Descriptor.Version,
        ["default_timeout_seconds"] = task.Descriptor.DefaultTimeout.TotalSeconds,
        ["max_concurrency"] = task.Descriptor.MaxConcurrency,
        // Cloned: the schema belongs to the handler, and a node can have only one parent.
        ["parameter_schema"] = task.Descriptor.ParameterSchema?.DeepClone(),
    };

    private static string Count(int count, string noun) => ParameterWording.Plural(count, noun);
}
