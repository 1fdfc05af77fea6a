using System.Text.Json.Nodes;

namespace MediaWorker.Plugins.Abstractions;

/// <summary>Describes a task type: what producers may submit and how the worker runs it.</summary>
public sealed record TaskDescriptor
{
    /// <summary>The task type name producers put in the <c>task_type</c> column, e.g. <c>image_resize</c>.</summary>
    public required string TaskType { get; init; }

    /// <summary>One sentence for <c>mediaworker plugins</c> and the capability message.</summary>
    public required string Description { get; init; }

    /// <summary>The handler's version (semantic versioning).</summary>
    public string Version { get; init; } = "1.0.0";

    /// <summary>
    /// A JSON Schema (draft 2020-12 keywords: <c>type</c>, <c>properties</c>, <c>required</c>,
    /// <c>additionalProperties</c>, <c>enum</c>, <c>const</c>, <c>minimum</c>, <c>maximum</c>,
    /// <c>exclusiveMinimum</c>, <c>exclusiveMaximum</c>, <c>minLength</c>, <c>maxLength</c>,
    /// <c>pattern</c>, <c>items</c>, <c>minItems</c>, <c>maxItems</c>, <c>anyOf</c>, <c>oneOf</c>,
    /// <c>default</c>, <c>description</c>) of the job's <c>params</c> object.
    /// </summary>
    /// <remarks>
    /// The host validates every job's parameters against it before <see cref="ITaskHandler.ExecuteAsync"/>
    /// runs; a job that does not match fails permanently with a message naming the parameter.
    /// <c>null</c> accepts any object.
    /// </remarks>
    public JsonObject? ParameterSchema { get; init; }

    /// <summary>
    /// How long one attempt may run before it is cancelled and counted as a retryable failure,
    /// unless the job carries its own timeout.
    /// </summary>
    public TimeSpan DefaultTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// The most jobs of this type one worker process runs at once, or <see langword="null"/> for
    /// no limit beyond the worker's own concurrency. Use 1 for engines that are not thread-safe.
    /// </summary>
    public int? MaxConcurrency { get; init; }
}
