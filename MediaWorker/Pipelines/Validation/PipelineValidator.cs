using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MediaWorker.Pipelines.Definitions;
using MediaWorker.Pipelines.Expressions;
using MediaWorker.Plugins.Validation;

namespace MediaWorker.Pipelines.Validation;

/// <summary>
/// Checks a definition before it is stored or run: step names, needs (unknown steps, cycles), task
/// types, every expression (syntax, and that <c>steps.X</c> names one of the step's ancestors and
/// <c>item</c>/<c>index</c> appear only in for_each steps), and the literal parameters against the
/// task's schema. Every message names the step and the field.
/// </summary>
public static partial class PipelineValidator
{
    /// <summary>Validates a JSON definition text.</summary>
    /// <param name="json">The definition file's text.</param>
    /// <param name="schemaOf">The known task types: a task's parameter schema (null: accepts any object); false when unknown.</param>
    public static (PipelineDefinition? Definition, ValidationReport Report) Validate(string json, TaskSchemas schemaOf) =>
        Validate(new DefinitionSource(json, DefinitionFormat.Json), schemaOf);

    /// <summary>Validates a JSON or YAML definition; for YAML each message starts with the line of the field it names.</summary>
    /// <param name="source">The definition's text and language.</param>
    /// <param name="schemaOf">The known task types: a task's parameter schema (null: accepts any object); false when unknown.</param>
    public static (PipelineDefinition? Definition, ValidationReport Report) Validate(DefinitionSource source, TaskSchemas schemaOf)
    {
        var (definition, shapeErrors, locate) = DefinitionReader.ReadLocated(source);
        if (definition is null)
        {
            return (null, new ValidationReport(shapeErrors, []));
        }

        var report = Validate(definition, schemaOf);
        return (report.IsValid ? definition : null, new ValidationReport([.. report.Errors.Select(locate)], [.. report.Warnings.Select(locate)]));
    }

    /// <summary>Validates a definition read by <see cref="DefinitionReader"/>.</summary>
    public static ValidationReport Validate(PipelineDefinition definition, TaskSchemas schemaOf)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(schemaOf);
        var errors = new List<string>();
        var warnings = new List<string>();
        if (!NamePattern().IsMatch(definition.Name))
        {
            errors.Add($"name: '{definition.Name}' must be letters, digits, '_' or '-', starting with a letter");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var step in definition.Steps)
        {
            if (!StepNamePattern().IsMatch(step.Name))
            {
                errors.Add($"step '{step.Name}': the name must be letters, digits and '_', starting with a letter (expressions read it as steps.{step.Name})");
            }

            if (!names.Add(step.Name))
            {
                errors.Add($"step '{step.Name}': the name is used by more than one step");
            }
        }

        foreach (var step in definition.Steps)
        {
            foreach (var need in step.Needs)
            {
                if (need == step.Name)
                {
                    errors.Add($"step '{step.Name}': needs: a step cannot need itself");
                }
                else if (!names.Contains(need))
                {
                    errors.Add($"step '{step.Name}': needs: no step is named '{need}'");
                }
            }
        }

        if (FindCycle(definition) is { } cycle)
        {
            errors.Add($"needs: the steps form a cycle ({string.Join(" -> ", cycle)}); a pipeline must be a DAG");
            return new ValidationReport(errors, warnings);
        }

        foreach (var step in definition.Steps)
        {
            var ancestors = Ancestors(definition, step);
            CheckExpression(step, "when", step.When, ancestors, allowItem: false, errors);
            CheckExpression(step, "for_each", step.ForEach, ancestors, allowItem: false, errors);
            CheckParams(step, step.Params, "params", ancestors, errors);
            CheckTask(step, schemaOf, errors, warnings);
        }

        return new ValidationReport(errors, warnings);
    }

    private static void CheckTask(StepDefinition step, TaskSchemas schemaOf, List<string> errors, List<string> warnings)
    {
        if (!schemaOf(step.Task, out var schema))
        {
            if (step.Optional)
            {
                warnings.Add($"step '{step.Name}': task: no loaded plugin offers '{step.Task}'; the optional step is skipped unless a worker offers it");
            }
            else
            {
                errors.Add($"step '{step.Name}': task: unknown task type '{step.Task}' (no loaded plugin offers it; see 'mediaworker plugins')");
            }

            return;
        }

        if (schema is null)
        {
            return;
        }

        // Templated values are known only when the step is released (the worker checks them then): check the literal ones now.
        var literal = new JsonObject();
        var templated = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in step.Params)
        {
            if (HasTemplate(value))
            {
                templated.Add(key);
            }
            else
            {
                literal[key] = value?.DeepClone();
            }
        }

        var checkedSchema = (JsonObject)schema.DeepClone();
        WithoutRequired(checkedSchema, templated);

        if (checkedSchema["properties"] is JsonObject properties && checkedSchema["additionalProperties"] is JsonValue closed && closed.GetValueKind() == JsonValueKind.False)
        {
            foreach (var key in templated.Where(k => !properties.ContainsKey(k)))
            {
                errors.Add($"step '{step.Name}': params.{key}: '{step.Task}' has no parameter '{key}' (it takes {string.Join(", ", properties.Select(p => p.Key))})");
            }
        }

        foreach (var error in ParameterValidator.Validate(checkedSchema, literal))
        {
            errors.Add($"step '{step.Name}': {error}");
        }
    }

    /// <summary>Drops the templated names from <c>required</c>, at the top and in each anyOf/oneOf form.</summary>
    private static void WithoutRequired(JsonObject schema, HashSet<string> templated)
    {
        if (schema["required"] is JsonArray required)
        {
            schema["required"] = new JsonArray([.. required.Where(r => r is JsonValue v && !templated.Contains(v.GetValue<string>())).Select(r => r!.DeepClone())]);
        }

        foreach (var keyword in new[] { "anyOf", "oneOf" })
        {
            if (schema[keyword] is JsonArray forms)
            {
                foreach (var form in forms.OfType<JsonObject>())
                {
                    WithoutRequired(form, templated);
                }
            }
        }
    }

    private static bool HasTemplate(JsonNode? value) => value switch
    {
        JsonObject obj => obj.Any(p => HasTemplate(p.Value)),
        JsonArray array => array.Any(HasTemplate),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>().Contains("${", StringComparison.Ordinal),
        _ => false,
    };

    private static void CheckParams(StepDefinition step, JsonNode? value, string field, HashSet<string> ancestors, List<string> errors)
    {
        switch (value)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj)
                {
                    CheckParams(step, child, $"{field}.{key}", ancestors, errors);
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    CheckParams(step, array[i], $"{field}[{i}]", ancestors, errors);
                }

                break;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String && v.GetValue<string>().Contains("${", StringComparison.Ordinal):
                try
                {
                    foreach (var expression in Template.Parse(v.GetValue<string>()).Parsed)
                    {
                        CheckReferences(step, field, expression, ancestors, step.ForEach is not null, errors);
                    }
                }
                catch (ExpressionException ex)
                {
                    errors.Add($"step '{step.Name}': {field}: {ex.Message}");
                }

                break;
        }
    }

    private static void CheckExpression(StepDefinition step, string field, string? text, HashSet<string> ancestors, bool allowItem, List<string> errors)
    {
        if (text is null)
        {
            return;
        }

        try
        {
            CheckReferences(step, field, PipelineExpressions.ParseCondition(text), ancestors, allowItem, errors);
        }
        catch (ExpressionException ex)
        {
            errors.Add($"step '{step.Name}': {field}: {ex.Message}");
        }
    }

    private static void CheckReferences(StepDefinition step, string field, Expression expression, HashSet<string> ancestors, bool allowItem, List<string> errors)
    {
        switch (expression)
        {
            case MemberExpression { Target: MemberExpression { Target: RootExpression { Name: "steps" }, Name: var name }, Name: var part }:
                if (!ancestors.Contains(name))
                {
                    errors.Add($"step '{step.Name}': {field}: steps.{name} is {(name == step.Name ? "the step itself" : "not among the steps it needs (directly or through others)")}; add '{name}' to its needs");
                }
                else if (part is not ("output" or "status"))
                {
                    errors.Add($"step '{step.Name}': {field}: steps.{name}.{part}: a step has 'output' and 'status'");
                }

                return;
            case MemberExpression { Target: RootExpression { Name: "steps" }, Name: var bare }:
                errors.Add($"step '{step.Name}': {field}: steps.{bare} needs a field: steps.{bare}.output or steps.{bare}.status");
                return;
            case RootExpression { Name: "steps" }:
                errors.Add($"step '{step.Name}': {field}: 'steps' needs a step name: steps.NAME.output");
                return;
            case RootExpression { Name: "item" or "index" } root when !allowItem:
                errors.Add($"step '{step.Name}': {field}: '{root.Name}' is only defined in the params of a for_each step");
                return;
        }

        foreach (var child in Children(expression))
        {
            CheckReferences(step, field, child, ancestors, allowItem, errors);
        }
    }

    private static IEnumerable<Expression> Children(Expression expression) => expression switch
    {
        MemberExpression m => [m.Target],
        IndexExpression i => [i.Target, i.Index],
        NotExpression n => [n.Operand],
        BinaryExpression b => [b.Left, b.Right],
        CallExpression c => c.Arguments,
        _ => [],
    };

    /// <summary>Every step this one waits for, directly or through others.</summary>
    internal static HashSet<string> Ancestors(PipelineDefinition definition, StepDefinition step)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>(step.Needs);
        while (pending.TryPop(out var name))
        {
            if (found.Add(name) && definition.Step(name) is { } parent)
            {
                foreach (var need in parent.Needs)
                {
                    pending.Push(need);
                }
            }
        }

        return found;
    }

    private static List<string>? FindCycle(PipelineDefinition definition)
    {
        var state = new Dictionary<string, int>(StringComparer.Ordinal);
        var path = new List<string>();
        List<string>? Visit(string name)
        {
            if (state.TryGetValue(name, out var s))
            {
                return s == 1 ? [.. path.Skip(path.IndexOf(name)), name] : null;
            }

            state[name] = 1;
            path.Add(name);
            foreach (var need in definition.Step(name)?.Needs ?? [])
            {
                if (Visit(need) is { } cycle)
                {
                    return cycle;
                }
            }

            path.RemoveAt(path.Count - 1);
            state[name] = 2;
            return null;
        }

        return definition.Steps.Select(s => Visit(s.Name)).FirstOrDefault(c => c is not null);
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_-]{0,99}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]{0,99}$")]
    private static partial Regex StepNamePattern();
}

/// <summary>Looks up a task type: true with its parameter schema (null accepts any object), false when nothing offers it.</summary>
public delegate bool TaskSchemas(string taskType, out JsonObject? schema);
