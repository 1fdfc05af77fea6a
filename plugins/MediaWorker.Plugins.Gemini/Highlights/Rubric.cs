using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.Gemini.Structured;

namespace MediaWorker.Plugins.Gemini.Highlights;

/// <summary>A scored example that shows the model what a score means.</summary>
internal sealed record RubricExample(string Context, double Score);

/// <summary>One thing a segment is scored on.</summary>
/// <param name="Name">An identifier (letters, digits, underscore), used as a JSON property.</param>
/// <param name="IsBoolean">True for yes/no dimensions; numeric ones are scored inside <see cref="Min"/>-<see cref="Max"/>.</param>
/// <param name="Min">The lowest numeric score.</param>
/// <param name="Max">The highest numeric score.</param>
/// <param name="Weight">Its share of the weighted score.</param>
/// <param name="Prompt">The question the model answers for each segment.</param>
/// <param name="Examples">Scored examples.</param>
internal sealed record RubricDimension(string Name, bool IsBoolean, double Min, double Max, double Weight, string Prompt, IReadOnlyList<RubricExample> Examples)
{
    /// <summary>A score mapped onto 0-1 (booleans: 0 or 1).</summary>
    public double Normalize(JsonNode score) => IsBoolean
        ? (score.GetValue<bool>() ? 1 : 0)
        : Math.Clamp((JsonNumbers.ToDouble(score) - Min) / (Max - Min), 0, 1);
}

/// <summary>
/// The seed's dimension framework: weighted dimensions, a threshold on the weighted score (0-1)
/// and one on the model's confidence (0-1).
/// </summary>
internal sealed partial record Rubric(string Name, IReadOnlyList<RubricDimension> Dimensions, double HighlightThreshold, double ConfidenceThreshold)
{
    /// <summary>Used when a job brings no rubric: what makes a moment worth clipping in general.</summary>
    public static Rubric Default { get; } = new(
        "general",
        [
            new("excitement", false, 0, 10, 0.35, "How exciting, surprising or intense is this moment?", []),
            new("information", false, 0, 10, 0.25, "How much important information or insight does this moment deliver?", []),
            new("emotion", false, 0, 10, 0.25, "How strong are the emotions shown or evoked (laughter, tension, joy, awe)?", []),
            new("standalone", true, 0, 1, 0.15, "Would this moment make sense and be worth watching as a clip on its own?", []),
        ],
        0.6,
        0.5);

    /// <summary>The JSON Schema of the <c>rubric</c> parameter.</summary>
    public static JsonObject ParameterSchema() => (JsonObject)JsonNode.Parse("""
        {
          "type": "object",
          "properties": {
            "name": { "type": "string", "minLength": 1, "maxLength": 100 },
            "dimensions": {
              "type": "array", "minItems": 1, "maxItems": 20,
              "items": {
                "type": "object",
                "properties": {
                  "name": { "type": "string", "pattern": "^[A-Za-z][A-Za-z0-9_]{0,39}$" },
                  "type": { "type": "string", "enum": ["numeric", "boolean"] },
                  "range": { "type": "array", "items": { "type": "number" }, "minItems": 2, "maxItems": 2, "description": "numeric only: [min, max], default [0, 10]" },
                  "weight": { "type": "number", "exclusiveMinimum": 0, "maximum": 1000 },
                  "prompt": { "type": "string", "minLength": 1, "maxLength": 2000 },
                  "examples": {
                    "type": "array", "maxItems": 20,
                    "items": {
                      "type": "object",
                      "properties": { "context": { "type": "string", "minLength": 1, "maxLength": 2000 }, "score": { "type": ["number", "boolean"] } },
                      "required": ["context", "score"],
                      "additionalProperties": false
                    }
                  }
                },
                "required": ["name", "type", "weight", "prompt"],
                "additionalProperties": false
              }
            },
            "highlight_threshold": { "type": "number", "minimum": 0, "maximum": 1, "default": 0.6 },
            "highlight_confidence_threshold": { "type": "number", "minimum": 0, "maximum": 1, "default": 0.5 }
          },
          "required": ["dimensions"],
          "additionalProperties": false
        }
        """)!;

    /// <summary>Reads and checks a rubric parameter; every problem is a permanent failure naming the field.</summary>
    public static Rubric Parse(JsonObject? json)
    {
        if (json is null)
        {
            return Default;
        }

        var dimensions = new List<RubricDimension>();
        var items = json["dimensions"] as JsonArray ?? throw Bad("rubric.dimensions is required: a list of {name, type, weight, prompt}.");
        if (items.Count == 0)
        {
            throw Bad("rubric.dimensions is empty; give at least one dimension.");
        }

        for (var i = 0; i < items.Count; i++)
        {
            dimensions.Add(ParseDimension(items[i] as JsonObject ?? throw Bad($"rubric.dimensions[{i}] must be an object."), i));
        }

        var duplicate = dimensions.GroupBy(d => d.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw Bad($"rubric.dimensions has '{duplicate.Key}' more than once; dimension names must be unique.");
        }

        return new Rubric(
            json["name"]?.GetValue<string>() ?? "custom",
            dimensions,
            Fraction(json, "highlight_threshold", Default.HighlightThreshold),
            Fraction(json, "highlight_confidence_threshold", Default.ConfidenceThreshold));
    }

    /// <summary>The weighted score (0-1) of one segment's dimension scores.</summary>
    public double WeightedScore(JsonObject scores) =>
        Dimensions.Sum(d => d.Weight * d.Normalize(scores[d.Name]!)) / Dimensions.Sum(d => d.Weight);

    private static RubricDimension ParseDimension(JsonObject item, int i)
    {
        var where = $"rubric.dimensions[{i}]";
        var name = item["name"]?.GetValue<string>() ?? throw Bad($"{where}.name is required.");
        if (!NamePattern().IsMatch(name))
        {
            throw Bad($"{where}.name '{name}' must start with a letter and hold only letters, digits and '_' (at most 40).");
        }

        var isBoolean = (item["type"]?.GetValue<string>() ?? throw Bad($"{where}.type is required (numeric or boolean).")) switch
        {
            "numeric" => false,
            "boolean" => true,
            var other => throw Bad($"{where}.type is '{other}'; it must be numeric or boolean."),
        };
        var (min, max) = (0.0, isBoolean ? 1.0 : 10.0);
        if (item["range"] is JsonArray range)
        {
            if (isBoolean)
            {
                throw Bad($"{where}.range applies to numeric dimensions only.");
            }

            if (range.Count != 2 || JsonNumbers.ToDouble(range[0]!) >= JsonNumbers.ToDouble(range[1]!))
            {
                throw Bad($"{where}.range must be [min, max] with min below max.");
            }

            (min, max) = (JsonNumbers.ToDouble(range[0]!), JsonNumbers.ToDouble(range[1]!));
        }

        var weight = item["weight"] is { } w ? JsonNumbers.ToDouble(w) : throw Bad($"{where}.weight is required.");
        if (weight <= 0)
        {
            throw Bad($"{where}.weight is {weight.ToString(CultureInfo.InvariantCulture)}; it must be above 0.");
        }

        var prompt = item["prompt"]?.GetValue<string>() ?? throw Bad($"{where}.prompt is required: the question the model answers.");
        var examples = new List<RubricExample>();
        foreach (var (example, j) in (item["examples"] as JsonArray ?? []).Select((e, j) => (e, j)))
        {
            var score = example?["score"] ?? throw Bad($"{where}.examples[{j}].score is required.");
            var value = score.GetValueKind() is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False
                ? (score.GetValue<bool>() ? 1 : 0)
                : JsonNumbers.ToDouble(score);
            if (value < min || value > max || (isBoolean && value is not (0 or 1)))
            {
                throw Bad($"{where}.examples[{j}].score {score.ToJsonString()} is outside the dimension's range {min.ToString(CultureInfo.InvariantCulture)}-{max.ToString(CultureInfo.InvariantCulture)}.");
            }

            examples.Add(new RubricExample(example!["context"]?.GetValue<string>() ?? throw Bad($"{where}.examples[{j}].context is required."), value));
        }

        return new RubricDimension(name, isBoolean, min, max, weight, prompt, examples);
    }

    private static double Fraction(JsonObject json, string name, double fallback)
    {
        var value = json[name] is { } node ? JsonNumbers.ToDouble(node) : fallback;
        return value is >= 0 and <= 1 ? value : throw Bad($"rubric.{name} is {value.ToString(CultureInfo.InvariantCulture)}; it must be from 0 to 1.");
    }

    private static PermanentJobException Bad(string message) => new(message);

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]{0,39}$")]
    private static partial Regex NamePattern();
}
