using System.Text.Json.Nodes;

namespace MediaWorker.Pipelines.Definitions;

/// <summary>A pipeline as written in its definition file (docs/pipelines.md): named steps forming a DAG.</summary>
/// <param name="Name">The pipeline's name; runs and stored versions are found by it.</param>
/// <param name="Description">One sentence for listings.</param>
/// <param name="Defaults">Default values of the run's input (switches such as enable_transcription).</param>
/// <param name="Steps">The steps, in the file's order (which is also the order ready steps are released in).</param>
public sealed record PipelineDefinition(string Name, string Description, JsonObject Defaults, IReadOnlyList<StepDefinition> Steps)
{
    /// <summary>The step named <paramref name="name"/>, or null.</summary>
    public StepDefinition? Step(string name) => Steps.FirstOrDefault(s => s.Name == name);
}

/// <summary>One step: a task type with templated parameters, run once or once per element of a list.</summary>
/// <param name="Name">Unique within the pipeline; expressions read it as <c>steps.NAME</c>.</param>
/// <param name="Task">The task type its jobs run.</param>
/// <param name="Params">The jobs' parameters; strings may hold <c>${…}</c> templates.</param>
/// <param name="Needs">Steps that must end (completed or skipped) before this one is released.</param>
public sealed record StepDefinition(string Name, string Task, JsonObject Params, IReadOnlyList<string> Needs)
{
    /// <summary>An expression: the step runs only when it is true, and is skipped otherwise.</summary>
    public string? When { get; init; }

    /// <summary>An expression giving a list: one job per element, which <c>item</c> and <c>index</c> name.</summary>
    public string? ForEach { get; init; }

    /// <summary>When its jobs fail (the plugin is not configured, say), the step is skipped and the run goes on.</summary>
    public bool Optional { get; init; }

    /// <summary>Retries after the first attempt of each job.</summary>
    public int MaxRetries { get; init; } = 3;

    /// <summary>Seconds one attempt may run; null for the task's default.</summary>
    public double? TimeoutSeconds { get; init; }

    /// <summary>Higher runs first.</summary>
    public int Priority { get; init; } = 5;
}
