using System.Text.Json.Nodes;

namespace MediaWorker.Pipelines.Expressions;

/// <summary>What a step's state looks like to an expression: <c>steps.NAME.status</c> and <c>steps.NAME.output</c>.</summary>
/// <param name="Status">waiting, running, completed, failed, skipped or cancelled.</param>
/// <param name="Output">The step's output (a list of the items' outputs for a for_each step); null unless completed.</param>
public sealed record StepView(string Status, JsonNode? Output);

/// <summary>The values the roots of an expression name.</summary>
public sealed record ExpressionScope
{
    /// <summary><c>input</c>: the run's input over the definition's defaults.</summary>
    public JsonObject Input { get; init; } = [];

    /// <summary><c>steps</c>: the steps the evaluating step may read (its ancestors).</summary>
    public IReadOnlyDictionary<string, StepView> Steps { get; init; } = new Dictionary<string, StepView>(StringComparer.Ordinal);

    /// <summary><c>run</c>: id, pipeline and version.</summary>
    public JsonObject Run { get; init; } = [];

    /// <summary><c>item</c> in a for_each step: the current element.</summary>
    public JsonNode? Item { get; init; }

    /// <summary><c>index</c> in a for_each step: the current element's position, from 0.</summary>
    public int? Index { get; init; }

    /// <summary>
    /// True while rendering parameters: reading the output of a skipped step throws
    /// <see cref="SkippedStepReferenceException"/> (a <c>when</c> reads it as null instead).
    /// </summary>
    public bool SkippedOutputSkipsStep { get; init; }
}
