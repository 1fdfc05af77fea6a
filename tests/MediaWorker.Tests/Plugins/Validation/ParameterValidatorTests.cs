using System.Text.Json.Nodes;
using MediaWorker.Plugins.Validation;
using NUnit.Framework;

namespace MediaWorker.Tests.Plugins.Validation;

public sealed class ParameterValidatorTests
{
    private const string ResizeSchema = """
        {
          "type": "object",
          "properties": {
            "input_path": { "type": "string", "minLength": 1 },
            "width": { "type": "integer", "minimum": 1, "maximum": 10000 },
            "quality": { "type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1, "default": 0.8 },
            "format": { "enum": ["jpeg", "png", "webp"] },
            "strip": { "type": "boolean" }
          },
          "required": ["input_path", "width"],
          "additionalProperties": false
        }
        """;

    [Test]
    public void ValidParameters_HaveNoErrors() =>
        Assert.That(Validate(ResizeSchema, """{"input_path":"a.jpg","width":640,"quality":0.5,"format":"png","strip":true}"""), Is.Empty);

    [Test]
    public void NullSchema_AcceptsAnyObject() =>
        Assert.That(ParameterValidator.Validate(null, JsonNode.Parse("""{"anything":[1,2]}""")), Is.Empty);

    [Test]
    public void NullSchema_StillRequiresAnObject() =>
        Assert.That(ParameterValidator.Validate(null, JsonNode.Parse("[1]")), Is.EqualTo(new[] { "params: must be a JSON object (got an array of 1 item)" }));

    [TestCase("[]", "params: must be a JSON object (got an empty array)")]
    [TestCase("\"x\"", "params: must be a JSON object (got \"x\")")]
    [TestCase("5", "params: must be a JSON object (got 5)")]
    public void NonObjectParameters_AreRefused(string parameters, string expected) =>
        Assert.That(Validate(ResizeSchema, parameters), Is.EqualTo(new[] { expected }));

    [Test]
    public void MissingParameters_CountAsAnEmptyObject()
    {
        var schema = Schema("""{"type":"object","properties":{},"additionalProperties":false}""");

        Assert.That(ParameterValidator.Validate(schema, null), Is.Empty);
        Assert.That(ParameterValidator.Validate(Schema(ResizeSchema), null), Is.EqualTo(new[]
        {
            "params.input_path: is required (a string of at least 1 character)",
            "params.width: is required (an integer >= 1 and <= 10000)",
        }));
    }

    [Test]
    public void BelowMinimum_NamesTheParameterTheRuleAndTheValue() =>
        Assert.That(Validate("""{"properties":{"width":{"type":"integer","minimum":1}}}""", """{"width":-5}"""),
            Is.EqualTo(new[] { "params.width: must be an integer >= 1 (got -5)" }));

    [Test]
    public void AboveMaximum_ShowsBothBounds() =>
        Assert.That(Validate(ResizeSchema, """{"input_path":"a","width":10001}"""),
            Is.EqualTo(new[] { "params.width: must be an integer >= 1 and <= 10000 (got 10001)" }));

    [TestCase("0", "params.quality: must be a number > 0 and < 1 (got 0)")]
    [TestCase("1", "params.quality: must be a number > 0 and < 1 (got 1)")]
    public void ExclusiveBounds_ExcludeTheBound(string quality, string expected) =>
        Assert.That(Validate(ResizeSchema, $$"""{"input_path":"a","width":1,"quality":{{quality}}}"""), Is.EqualTo(new[] { expected }));

    [TestCase("\"640\"", "params.width: must be an integer >= 1 and <= 10000 (got \"640\")")]
    [TestCase("6.5", "params.width: must be an integer >= 1 and <= 10000 (got 6.5)")]
    [TestCase("true", "params.width: must be an integer >= 1 and <= 10000 (got true)")]
    [TestCase("null", "params.width: must be an integer >= 1 and <= 10000 (got null)")]
    [TestCase("{}", "params.width: must be an integer >= 1 and <= 10000 (got an object)")]
    public void WrongType_SaysWhatIsExpected(string width, string expected) =>
        Assert.That(Validate(ResizeSchema, $$"""{"input_path":"a","width":{{width}}}"""), Is.EqualTo(new[] { expected }));

    [Test]
    public void IntegerValuedNumbers_AreIntegers() =>
        Assert.That(Validate(ResizeSchema, """{"input_path":"a","width":640.0}"""), Is.Empty);

    [Test]
    public void ClrValues_AreCheckedLikeParsedJson()
    {
        var parameters = new JsonObject { ["input_path"] = "a", ["width"] = 0, ["quality"] = 0.5m, ["strip"] = false };

        Assert.That(ParameterValidator.Validate(Schema(ResizeSchema), parameters),
            Is.EqualTo(new[] { "params.width: must be an integer >= 1 and <= 10000 (got 0)" }));
    }

    [Test]
    public void UnknownParameter_IsRefusedWithTheAllowedNamesAndASuggestion() =>
        Assert.That(Validate(ResizeSchema, """{"input_path":"a","width":1,"widht":2}"""), Is.EqualTo(new[]
        {
            "params.widht: is not a recognised parameter (did you mean 'width'?); allowed: input_path, width, quality, format, strip",
        }));

    [Test]
    public void UnknownParameter_WhenNoneAreAllowed() =>
        Assert.That(Validate("""{"type":"object","properties":{},"additionalProperties":false}""", """{"x":1}"""),
            Is.EqualTo(new[] { "params.x: is not a recognised parameter; none are allowed here" }));

    [Test]
    public void AdditionalPropertiesSchema_ChecksTheExtras() =>
        Assert.That(Validate("""{"type":"object","additionalProperties":{"type":"string"}}""", """{"a":"x","b":2}"""),
            Is.EqualTo(new[] { "params.b: must be a string (got 2)" }));

    [Test]
    public void Enum_ListsTheAllowedValues() =>
        Assert.That(Validate(ResizeSchema, """{"input_path":"a","width":1,"format":"gif"}"""),
            Is.EqualTo(new[] { "params.format: must be one of \"jpeg\", \"png\", \"webp\" (got \"gif\")" }));

    [Test]
    public void Const_ShowsTheOnlyValue() =>
        Assert.That(Validate("""{"properties":{"mode":{"const":"fast"}}}""", """{"mode":"slow"}"""),
            Is.EqualTo(new[] { "params.mode: must be \"fast\" (got \"slow\")" }));

    [TestCase("", "params.name: must be 1 to 5 characters long (got 0 characters)")]
    [TestCase("abcdef", "params.name: must be 1 to 5 characters long (got 6 characters)")]
    public void StringLength_IsChecked(string name, string expected) =>
        Assert.That(Validate("""{"properties":{"name":{"type":"string","minLength":1,"maxLength":5}}}""", $$"""{"name":"{{name}}"}"""),
            Is.EqualTo(new[] { expected }));

    [Test]
    public void StringLength_CountsCodePointsNotUtf16Units() =>
        Assert.That(Validate("""{"properties":{"name":{"type":"string","maxLength":2}}}""", """{"name":"😀😀"}"""), Is.Empty);

    [Test]
    public void Pattern_IsMatchedAnywhereUnlessAnchored()
    {
        const string schema = """{"properties":{"size":{"type":"string","pattern":"^[0-9]+x[0-9]+$"},"tag":{"type":"string","pattern":"b"}}}""";

        Assert.That(Validate(schema, """{"size":"640x480","tag":"abc"}"""), Is.Empty);
        Assert.That(Validate(schema, """{"size":"640 x 480"}"""),
            Is.EqualTo(new[] { "params.size: must match the pattern ^[0-9]+x[0-9]+$ (got \"640 x 480\")" }));
    }

    [Test]
    public void LongValues_AreShortenedInMessages()
    {
        var errors = Validate("""{"properties":{"a":{"type":"integer"}}}""", $$"""{"a":"{{new string('x', 100)}}"}""");

        Assert.That(errors.Single(), Is.EqualTo($"params.a: must be an integer (got \"{new string('x', 40)}…\")"));
    }

    [Test]
    public void Arrays_CheckCountAndEachItemWithItsIndex()
    {
        const string schema = """{"properties":{"sizes":{"type":"array","minItems":1,"maxItems":3,"items":{"type":"integer","minimum":1}}}}""";

        Assert.That(Validate(schema, """{"sizes":[1,2]}"""), Is.Empty);
        Assert.That(Validate(schema, """{"sizes":[]}"""), Is.EqualTo(new[] { "params.sizes: must have 1 to 3 items (got 0)" }));
        Assert.That(Validate(schema, """{"sizes":[1,0,"x"]}"""), Is.EqualTo(new[]
        {
            "params.sizes[1]: must be an integer >= 1 (got 0)",
            "params.sizes[2]: must be an integer >= 1 (got \"x\")",
        }));
    }

    [Test]
    public void NestedObjects_ReportDottedPaths()
    {
        const string schema = """
            {"properties":{"crop":{"type":"object","properties":{"x":{"type":"integer","minimum":0},"y":{"type":"integer"}},"required":["x","y"],"additionalProperties":false}}}
            """;

        Assert.That(Validate(schema, """{"crop":{"x":-1,"z":0}}"""), Is.EqualTo(new[]
        {
            "params.crop.y: is required (an integer)",
            "params.crop.x: must be an integer >= 0 (got -1)",
            "params.crop.z: is not a recognised parameter; allowed: x, y",
        }));
    }

    [Test]
    public void PropertyNamesThatAreNotIdentifiers_AreQuotedInPaths() =>
        Assert.That(Validate("""{"properties":{"frame rate":{"type":"number"}}}""", """{"frame rate":"fast"}"""),
            Is.EqualTo(new[] { "params[\"frame rate\"]: must be a number (got \"fast\")" }));

    [Test]
    public void TypeArrays_AllowAnyListedType()
    {
        const string schema = """{"properties":{"limit":{"type":["integer","null"]}}}""";

        Assert.That(Validate(schema, """{"limit":null}"""), Is.Empty);
        Assert.That(Validate(schema, """{"limit":3}"""), Is.Empty);
        Assert.That(Validate(schema, """{"limit":"3"}"""), Is.EqualTo(new[] { "params.limit: must be an integer or null (got \"3\")" }));
    }

    [Test]
    public void AnyOf_PassesWhenOneFormMatches_AndExplainsEachFormOtherwise()
    {
        const string schema = """{"properties":{"size":{"anyOf":[{"type":"integer","minimum":1},{"type":"string","pattern":"^[0-9]+x[0-9]+$"}]}}}""";

        Assert.That(Validate(schema, """{"size":640}"""), Is.Empty);
        Assert.That(Validate(schema, """{"size":"640x480"}"""), Is.Empty);
        Assert.That(Validate(schema, """{"size":"big"}"""), Is.EqualTo(new[]
        {
            "params.size: matches none of the 2 allowed forms: (1) must be an integer >= 1 (got \"big\"); or (2) must match the pattern ^[0-9]+x[0-9]+$ (got \"big\")",
        }));
    }

    [Test]
    public void OneOf_RequiresExactlyOneMatch()
    {
        const string schema = """{"properties":{"n":{"oneOf":[{"type":"integer"},{"type":"number","minimum":10}]}}}""";

        Assert.That(Validate(schema, """{"n":5}"""), Is.Empty);
        Assert.That(Validate(schema, """{"n":10.5}"""), Is.Empty);
        Assert.That(Validate(schema, """{"n":12}"""), Is.EqualTo(new[] { "params.n: matches 2 of the allowed forms (1 and 2) but must match exactly one (got 12)" }));
        Assert.That(Validate(schema, """{"n":"x"}"""), Is.EqualTo(new[]
        {
            "params.n: matches none of the 2 allowed forms: (1) must be an integer (got \"x\"); or (2) must be a number >= 10 (got \"x\")",
        }));
    }

    [Test]
    public void BooleanSchemas_AllowOrForbid()
    {
        Assert.That(Validate("""{"properties":{"a":true}}""", """{"a":[1]}"""), Is.Empty);
        Assert.That(Validate("""{"properties":{"a":false}}""", """{"a":1}"""), Is.EqualTo(new[] { "params.a: is not allowed" }));
    }

    [Test]
    public void KeywordsOnlyApplyToTheirOwnType() =>
        Assert.That(Validate("""{"properties":{"v":{"minimum":5,"minLength":3,"minItems":2}}}""", """{"v":true}"""), Is.Empty);

    [Test]
    public void Annotations_AreNotChecked() =>
        Assert.That(Validate("""{"properties":{"v":{"type":"string","description":"d","default":"x","format":"uri","title":"t"}}}""", """{"v":"not a uri"}"""), Is.Empty);

    [Test]
    public void EveryProblem_IsReported()
    {
        var errors = Validate(ResizeSchema, """{"width":0,"format":"bmp","extra":1}""");

        Assert.That(errors, Has.Count.EqualTo(4));
        Assert.That(errors, Has.Some.StartsWith("params.input_path: is required"));
        Assert.That(errors, Has.Some.StartsWith("params.width:"));
        Assert.That(errors, Has.Some.StartsWith("params.format:"));
        Assert.That(errors, Has.Some.StartsWith("params.extra:"));
    }

    [Test]
    public void Check_SeparatesPathAndProblem()
    {
        var error = ParameterValidator.Check(Schema("""{"properties":{"w":{"type":"integer"}}}"""), JsonNode.Parse("""{"w":"x"}""")).Single();

        Assert.That(error.Path, Is.EqualTo("params.w"));
        Assert.That(error.Problem, Is.EqualTo("must be an integer (got \"x\")"));
    }

    private static IReadOnlyList<string> Validate(string schema, string parameters) =>
        ParameterValidator.Validate(Schema(schema), JsonNode.Parse(parameters));

    private static JsonObject Schema(string json) => JsonNode.Parse(json)!.AsObject();
}
