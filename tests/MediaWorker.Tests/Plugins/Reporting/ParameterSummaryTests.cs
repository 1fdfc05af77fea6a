using System.Text.Json.Nodes;
using MediaWorker.Plugins.Reporting;
using NUnit.Framework;

namespace MediaWorker.Tests.Plugins.Reporting;

public sealed class ParameterSummaryTests
{
    [Test]
    public void DescribesEachParameterWithItsRulesDefaultAndDescription() =>
        Assert.That(Describe("""
            {
              "type": "object",
              "properties": {
                "input_path": { "type": "string", "minLength": 1, "description": "File to read." },
                "width": { "type": "integer", "minimum": 1, "maximum": 10000, "default": 640 },
                "format": { "enum": ["jpeg", "png"] },
                "size": { "anyOf": [{ "type": "integer" }, { "type": "string", "pattern": "^[0-9]+x[0-9]+$" }] },
                "tags": { "type": "array", "maxItems": 3, "items": { "type": "string" } },
                "crop": { "type": "object", "properties": { "x": { "type": "integer", "minimum": 0 } }, "required": ["x"] }
              },
              "required": ["input_path"],
              "additionalProperties": false
            }
            """), Is.EqualTo(new[]
        {
            "input_path (required): a string of at least 1 character. File to read.",
            "width (optional, default 640): an integer >= 1 and <= 10000",
            "format (optional): one of \"jpeg\", \"png\"",
            "size (optional): one of: (1) an integer; (2) a string matching ^[0-9]+x[0-9]+$",
            "tags (optional): an array of at most 3 items each a string",
            "crop (optional): an object",
            "crop.x (required): an integer >= 0",
        }));

    [Test]
    public void OpenSchema_SaysOtherParametersAreAccepted() =>
        Assert.That(Describe("""{"properties":{"a":{"type":"boolean"}}}"""), Is.EqualTo(new[] { "a (optional): a boolean", "other parameters: accepted" }));

    [TestCase(null, "any JSON object (the task declares no schema)")]
    [TestCase("""{"type":"object","additionalProperties":false}""", "none")]
    [TestCase("""{"type":"object"}""", "any (none are declared)")]
    public void SchemaWithoutParameters_IsSummarisedInAFewWords(string? schema, string expected)
    {
        var parsed = schema is null ? null : JsonNode.Parse(schema)!.AsObject();

        Assert.That(ParameterSummary.Describe(parsed), Is.Empty);
        Assert.That(ParameterSummary.WithoutParameters(parsed), Is.EqualTo(expected));
    }

    [TestCase(20, "20s")]
    [TestCase(0.5, "0.5s")]
    [TestCase(1800, "30m")]
    [TestCase(86460, "24h 1m")]
    [TestCase(3725, "1h 2m 5s")]
    public void Durations_AreWrittenCompactly(double seconds, string expected) =>
        Assert.That(PluginReport.Duration(TimeSpan.FromSeconds(seconds)), Is.EqualTo(expected));

    private static IReadOnlyList<string> Describe(string schema) => ParameterSummary.Describe(JsonNode.Parse(schema)!.AsObject());
}
