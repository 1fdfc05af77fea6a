using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.Validation;

namespace MediaWorker.Plugins;

/// <summary>Checks what a handler declares before its task type is served.</summary>
internal static class TaskDescriptorCheck
{
    private const int MaxTaskTypeLength = 100;

    /// <summary>Returns one line per problem with the descriptor of <paramref name="handler"/>; empty when it can be served.</summary>
    public static IReadOnlyList<string> Check(TaskDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        var problems = new List<string>();
        if (!IsValidTaskType(descriptor.TaskType))
        {
            // The task type is a database value, a comma-list entry (WORKER_SUPPORTED_TASKS) and part of MQTT payloads.
            problems.Add($"task type '{descriptor.TaskType}' is not allowed; use 1 to {MaxTaskTypeLength} letters, digits, '.', '_' or '-'");
        }

        if (string.IsNullOrWhiteSpace(descriptor.Description))
        {
            problems.Add("the description is empty");
        }

        if (string.IsNullOrWhiteSpace(descriptor.Version))
        {
            problems.Add("the version is empty");
        }

        if (descriptor.DefaultTimeout <= TimeSpan.Zero)
        {
            problems.Add($"the default timeout must be positive (got {descriptor.DefaultTimeout})");
        }

        if (descriptor.MaxConcurrency is < 1)
        {
            problems.Add($"the concurrency limit must be at least 1 or null for none (got {descriptor.MaxConcurrency})");
        }

        if (descriptor.ParameterSchema is { } schema)
        {
            problems.AddRange(ParameterSchemaCheck.Check(schema).Select(p => "parameter " + p));
        }

        return problems;
    }

    private static bool IsValidTaskType(string? taskType) =>
        taskType is { Length: > 0 and <= MaxTaskTypeLength } && taskType.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');
}
