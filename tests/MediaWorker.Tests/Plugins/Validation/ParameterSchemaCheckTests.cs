using System.Text.Json.Nodes;
using MediaWorker.Plugins.Validation;
using NUnit.Framework;

namespace MediaWorker.Tests.Plugins.Validation;

public sealed class ParameterSchemaCheckTests
{
    [Test]
    public void UsableSchema_HasNoProblems() =>
        Assert.That(Check("""
            {
              "$schema": "https://json-schema.org/draft/2020-12/schema",
              "type": "object",
              "title": "resize",
              "properties": {
                "width": { "type": "integer", "minimum": 1, "default": 640, "description": "Target width." },
                "format": { "enum": ["jpeg", "png"], "default": "jpeg" },
                "size": { "anyOf": [{ "type": "integer" }, { "type": "string", "pattern": "^[0-9]+x[0-9]+$" }] },
                "tags": { "type": "array", "items": { "type": "string", "maxLength": 20 }, "maxItems": 5 },
                "extra": true
              },
              "required": ["width"],
              "additionalProperties": false
            }
            """), Is.Empty);

    [Test]
    public void MisspeltKeyword_IsNamedWithASuggestion() =>
        Assert.That(Check("""{"type":"object","properties":{"width":{"type":"integer","minimun":1}}}""").Single(),
            Does.StartWith("schema.properties.width.minimun: 'minimun' is not a supported keyword (did you mean 'minimum'?)"));

    [Test]
    public void UnsupportedKeyword_IsRefused() =>
        Assert.That(Check("""{"type":"object","patternProperties":{"^x":{}}}""").Single(),
            Does.StartWith("schema.patternProperties: 'patternProperties' is not a supported keyword; supported: type, properties"));

    [TestCase("""{"type":"whole"}""", "schema.type: must be one of")]
    [TestCase("""{"type":"array"}""", "the top-level type must be \"object\"")]
    [TestCase("""{"properties":[]}""", "schema.properties: must be an object mapping each parameter name")]
    [TestCase("""{"required":"a"}""", "schema.required: must be an array of distinct parameter names")]
    [TestCase("""{"required":["a","a"]}""", "schema.required: must be an array of distinct parameter names")]
    [TestCase("""{"properties":{"a":{"minimum":"1"}}}""", "schema.properties.a.minimum: must be a number (got \"1\")")]
    [TestCase("""{"properties":{"a":{"maxLength":-1}}}""", "schema.properties.a.maxLength: must be a whole number >= 0 (got -1)")]
    [TestCase("""{"properties":{"a":{"minItems":1.5}}}""", "schema.properties.a.minItems: must be a whole number >= 0 (got 1.5)")]
    [TestCase("""{"properties":{"a":{"pattern":"(unclosed"}}}""", "schema.properties.a.pattern: is not a valid regular expression")]
    [TestCase("""{"properties":{"a":{"enum":[]}}}""", "schema.properties.a.enum: must be a non-empty array")]
    [TestCase("""{"properties":{"a":{"anyOf":{}}}}""", "schema.properties.a.anyOf: must be a non-empty array of schemas")]
    [TestCase("""{"properties":{"a":{"items":[{"type":"string"}]}}}""", "schema.properties.a.items: must be a single schema or true/false")]
    [TestCase("""{"properties":{"a":5}}""", "schema.properties.a: must be a schema object or true/false (got 5)")]
    [TestCase("""{"properties":{"a":{"oneOf":[{"type":"string"},{"minimum":"x"}]}}}""", "schema.properties.a.oneOf[1].minimum: must be a number")]
    public void MalformedKeyword_IsNamedWithItsPath(string schema, string expected) =>
        Assert.That(Check(schema), Has.Some.Contains(expected));

    [Test]
    public void RequiredParameterThatCanNeverBeGiven_IsRefused() =>
        Assert.That(Check("""{"type":"object","properties":{"a":{}},"required":["a","b"],"additionalProperties":false}""").Single(),
            Is.EqualTo("schema.required: 'b' is required but not declared in properties while additionalProperties is false, so no job could pass"));

    [Test]
    public void DefaultThatBreaksItsOwnSchema_IsRefused() =>
        Assert.That(Check("""{"properties":{"width":{"type":"integer","minimum":1,"default":0}}}""").Single(),
            Is.EqualTo("schema.properties.width.default: the default itself is invalid: it must be an integer >= 1 (got 0)"));

    private static IReadOnlyList<string> Check(string schema) => ParameterSchemaCheck.Check(JsonNode.Parse(schema)!.AsObject());
}
