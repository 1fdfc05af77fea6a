using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MediaWorker.Pipelines.Expressions;

/// <summary>
/// Evaluates an <see cref="Expression"/> against a scope. Values are JSON values. A member that is
/// missing, or read from null, is null (so <c>input.x ?? 3</c> gives a default); comparing values of
/// different kinds with &lt; or &gt;, or indexing something that is no list or object, is an error.
/// </summary>
public static class ExpressionEvaluator
{
    public static JsonNode? Evaluate(Expression expression, ExpressionScope scope)
    {
        ArgumentNullException.ThrowIfNull(expression);
        ArgumentNullException.ThrowIfNull(scope);
        return expression switch
        {
            LiteralExpression literal => literal.Value?.DeepClone(),
            RootExpression root => Root(root.Name, scope),
            MemberExpression member => Member(member, scope),
            IndexExpression index => Index(Evaluate(index.Target, scope), Evaluate(index.Index, scope)),
            NotExpression not => JsonValue.Create(!IsTrue(Evaluate(not.Operand, scope))),
            BinaryExpression binary => Binary(binary, scope),
            CallExpression call => Call(call, scope),
            _ => throw new ExpressionException($"unknown expression {expression}"),
        };
    }

    /// <summary>Truthiness: null, false, 0, "" and empty lists and objects are false; everything else true.</summary>
    public static bool IsTrue(JsonNode? value) => value switch
    {
        null => false,
        JsonArray array => array.Count > 0,
        JsonObject obj => obj.Count > 0,
        JsonValue v when v.GetValueKind() == JsonValueKind.False => false,
        JsonValue v when v.GetValueKind() == JsonValueKind.True => true,
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => Number(v) != 0,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>().Length > 0,
        _ => true,
    };

    /// <summary>A value as template text: strings as they are, numbers invariant, lists and objects as JSON, null as empty.</summary>
    public static string ToText(JsonNode? value) => value switch
    {
        null => string.Empty,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => Number(v).ToString(CultureInfo.InvariantCulture),
        _ => value.ToJsonString(),
    };

    /// <summary>A short description of a value for error messages.</summary>
    public static string Describe(JsonNode? value) => value switch
    {
        null => "null",
        JsonArray a => $"a list of {a.Count}",
        JsonObject => "an object",
        JsonValue v => $"{v.GetValueKind().ToString().ToLowerInvariant()} {Truncate(v.ToJsonString())}",
        _ => value.ToJsonString(),
    };

    private static string Truncate(string text) => text.Length <= 40 ? text : text[..40] + "…";

    private static JsonNode? Root(string name, ExpressionScope scope) => name switch
    {
        "input" => scope.Input.DeepClone(),
        "run" => scope.Run.DeepClone(),
        "item" => scope.Item?.DeepClone(),
        "index" => scope.Index is { } i ? JsonValue.Create(i) : throw new ExpressionException("'index' is only defined in a for_each step"),
        "steps" => throw new ExpressionException("'steps' needs a step name: steps.NAME.output or steps.NAME.status"),
        _ => throw new ExpressionException($"unknown name '{name}'"),
    };

    private static JsonNode? Member(MemberExpression member, ExpressionScope scope)
    {
        // steps.NAME.field: the step table, not a JSON object, so skipped outputs can be told apart from nulls.
        if (member.Target is MemberExpression { Target: RootExpression { Name: "steps" } } stepRef)
        {
            var step = StepOf(stepRef.Name, scope);
            return member.Name switch
            {
                "status" => JsonValue.Create(step.Status),
                "output" => OutputOf(stepRef.Name, step, scope),
                _ => throw new ExpressionException($"steps.{stepRef.Name}.{member.Name}: a step has 'output' and 'status'"),
            };
        }

        if (member.Target is RootExpression { Name: "steps" })
        {
            _ = StepOf(member.Name, scope);
            throw new ExpressionException($"steps.{member.Name} needs a field: steps.{member.Name}.output or steps.{member.Name}.status");
        }

        var target = Evaluate(member.Target, scope);
        return target switch
        {
            null => null,
            JsonObject obj => obj[member.Name]?.DeepClone(),
            JsonArray array when member.Name == "length" => JsonValue.Create(array.Count),
            _ => throw new ExpressionException($"'.{member.Name}' cannot be read from {Describe(target)}"),
        };
    }

    private static StepView StepOf(string name, ExpressionScope scope) =>
        scope.Steps.TryGetValue(name, out var step)
            ? step
            : throw new ExpressionException($"steps.{name}: no such step among this step's needs (it may read {(scope.Steps.Count == 0 ? "no steps" : string.Join(", ", scope.Steps.Keys))})");

    private static JsonNode? OutputOf(string name, StepView step, ExpressionScope scope)
    {
        if (step.Status == "skipped" && scope.SkippedOutputSkipsStep)
        {
            throw new SkippedStepReferenceException($"it uses the output of step '{name}', which was skipped") { Step = name };
        }

        return step.Output?.DeepClone();
    }

    private static JsonNode? Index(JsonNode? target, JsonNode? index)
    {
        switch (target)
        {
            case null:
                return null;
            case JsonArray array when index is JsonValue v && v.GetValueKind() == JsonValueKind.Number:
                var number = Number(v);
                var position = (int)number;
                if (position != number)
                {
                    throw new ExpressionException($"a list index must be a whole number, not {number.ToString(CultureInfo.InvariantCulture)}");
                }

                position = position < 0 ? array.Count + position : position;
                return position >= 0 && position < array.Count ? array[position]?.DeepClone() : null;
            case JsonObject obj when index is JsonValue v && v.GetValueKind() == JsonValueKind.String:
                return obj[v.GetValue<string>()]?.DeepClone();
            default:
                throw new ExpressionException($"{Describe(target)} cannot be indexed by {Describe(index)}");
        }
    }

    private static JsonNode? Binary(BinaryExpression binary, ExpressionScope scope)
    {
        switch (binary.Operator)
        {
            case "and":
                var left = Evaluate(binary.Left, scope);
                return IsTrue(left) ? JsonValue.Create(IsTrue(Evaluate(binary.Right, scope))) : JsonValue.Create(false);
            case "or":
                return IsTrue(Evaluate(binary.Left, scope)) ? JsonValue.Create(true) : JsonValue.Create(IsTrue(Evaluate(binary.Right, scope)));
            case "??":
                return Evaluate(binary.Left, scope) ?? Evaluate(binary.Right, scope);
        }

        var a = Evaluate(binary.Left, scope);
        var b = Evaluate(binary.Right, scope);
        return binary.Operator switch
        {
            "==" => JsonValue.Create(AreEqual(a, b)),
            "!=" => JsonValue.Create(!AreEqual(a, b)),
            _ => JsonValue.Create(Compare(binary.Operator, a, b)),
        };
    }

    private static bool AreEqual(JsonNode? a, JsonNode? b)
    {
        if (a is JsonValue x && b is JsonValue y && x.GetValueKind() == JsonValueKind.Number && y.GetValueKind() == JsonValueKind.Number)
        {
            return Number(x) == Number(y);
        }

        return JsonNode.DeepEquals(a, b);
    }

    private static bool Compare(string op, JsonNode? a, JsonNode? b)
    {
        int order;
        if (a is JsonValue x && b is JsonValue y && x.GetValueKind() == JsonValueKind.Number && y.GetValueKind() == JsonValueKind.Number)
        {
            order = Number(x).CompareTo(Number(y));
        }
        else if (a is JsonValue s && b is JsonValue t && s.GetValueKind() == JsonValueKind.String && t.GetValueKind() == JsonValueKind.String)
        {
            order = string.CompareOrdinal(s.GetValue<string>(), t.GetValue<string>());
        }
        else
        {
            throw new ExpressionException($"'{op}' compares two numbers or two strings, not {Describe(a)} and {Describe(b)}");
        }

        return op switch
        {
            "<" => order < 0,
            "<=" => order <= 0,
            ">" => order > 0,
            _ => order >= 0,
        };
    }

    private static JsonValue Call(CallExpression call, ExpressionScope scope)
    {
        var argument = Evaluate(call.Arguments[0], scope);
        return call.Function switch
        {
            "length" => argument switch
            {
                null => JsonValue.Create(0),
                JsonArray array => JsonValue.Create(array.Count),
                JsonObject obj => JsonValue.Create(obj.Count),
                JsonValue v when v.GetValueKind() == JsonValueKind.String => JsonValue.Create(v.GetValue<string>().Length),
                _ => throw new ExpressionException($"length() takes a list, an object or a string, not {Describe(argument)}"),
            },
            _ => JsonValue.Create(argument is not null),
        };
    }

    // Through the JSON text: a value made in code (JsonValue.Create(3L)) does not convert to double itself.
    private static double Number(JsonValue value) => double.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);
}
