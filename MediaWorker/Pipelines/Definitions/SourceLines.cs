using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace MediaWorker.Pipelines.Definitions;

/// <summary>
/// Where each field of a definition file is written (the line of its key or list item), by path
/// (<c>steps[2].params.input_path</c>), and the prefix an error gets from it: the reader's and the
/// validator's messages name the step and the field ("step 'clip': params.start: …"), which maps to
/// that step's entry in the file and the field in it.
/// </summary>
internal sealed partial class SourceLines
{
    private static readonly HashSet<string> StepFields = ["name", "task", "params", "needs", "when", "for_each", "optional", "max_retries", "timeout_seconds", "priority"];
    private readonly Dictionary<string, long> _lines = new(StringComparer.Ordinal);

    public void Add(string path, long line) => _lines.TryAdd(path, line);

    /// <summary>The line of <paramref name="path"/>, or of the nearest enclosing field that has one.</summary>
    public long? LineOf(string path)
    {
        while (path.Length > 0)
        {
            if (_lines.TryGetValue(path, out var line))
            {
                return line;
            }

            var cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
            path = cut <= 0 ? string.Empty : path[..cut];
        }

        return null;
    }

    /// <summary>The error with "line N: " in front when the field it names is found in the file.</summary>
    public string Annotate(string error, JsonNode? root) => PathOf(error, root) is { } path && LineOf(path) is { } line ? $"line {line}: {error}" : error;

    private static string? PathOf(string error, JsonNode? root)
    {
        if (StepError().Match(error) is { Success: true } named)
        {
            var index = IndexOfStep(root, named.Groups["step"].Value);
            return index is null ? null : Within($"steps[{index}]", named.Groups["rest"].Value);
        }

        if (PositionError().Match(error) is { Success: true } positioned)
        {
            return Within($"steps[{positioned.Groups["index"].Value}]", positioned.Groups["rest"].Value);
        }

        if (CycleError().Match(error) is { Success: true } cycle)
        {
            return IndexOfStep(root, cycle.Groups["step"].Value) is { } first ? $"steps[{first}].needs" : null;
        }

        return Within(string.Empty, error);
    }

    /// <summary>The field a message about <paramref name="step"/> names: a leading field path, or an unknown field's name.</summary>
    private static string Within(string step, string rest)
    {
        string Join(string field) => step.Length == 0 ? field : $"{step}.{field}";
        if (UnknownField().Match(rest) is { Success: true } unknown)
        {
            return Join(unknown.Groups["field"].Value);
        }

        if (LeadingField().Match(rest) is { Success: true } field && (step.Length > 0 ? StepFields.Contains(field.Groups["head"].Value) : field.Groups["head"].Value is "name" or "description" or "defaults" or "steps"))
        {
            return Join(field.Groups["path"].Value);
        }

        return step;
    }

    private static int? IndexOfStep(JsonNode? root, string name)
    {
        if (root?["steps"] is not JsonArray steps)
        {
            return null;
        }

        for (var i = 0; i < steps.Count; i++)
        {
            if (steps[i]?["name"] is JsonValue value && value.GetValueKind() == JsonValueKind.String && value.GetValue<string>().Trim() == name)
            {
                return i;
            }
        }

        return null;
    }

    [GeneratedRegex("^step '(?<step>[^']*)': ?(?<rest>.*)$", RegexOptions.Singleline)]
    private static partial Regex StepError();

    [GeneratedRegex(@"^steps\[(?<index>\d+)\](?:\.|: ?)?(?<rest>.*)$", RegexOptions.Singleline)]
    private static partial Regex PositionError();

    [GeneratedRegex(@"^needs: the steps form a cycle \((?<step>[^ ]+) ->")]
    private static partial Regex CycleError();

    [GeneratedRegex("^unknown field '(?<field>[^']+)'")]
    private static partial Regex UnknownField();

    [GeneratedRegex(@"^(?<path>(?<head>[a-z_]+)(?:\.[A-Za-z0-9_-]+|\[\d+\])*)(?::| must| is)")]
    private static partial Regex LeadingField();
}
