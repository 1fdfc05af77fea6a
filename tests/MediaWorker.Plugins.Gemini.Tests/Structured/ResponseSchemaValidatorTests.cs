using System.Text.Json.Nodes;
using MediaWorker.Plugins.Gemini.Analysis;
using MediaWorker.Plugins.Gemini.Structured;
using MediaWorker.Plugins.Gemini.Tests.Support;
using NUnit.Framework;

namespace MediaWorker.Plugins.Gemini.Tests.Structured;

public sealed class ResponseSchemaValidatorTests
{
    private static readonly JsonObject AnalysisSchema = MediaWorker.Plugins.Gemini.Analysis.AnalysisSchema.Create(withVisualAudit: true);

    [Test]
    public void AValidAnalysis_HasNoProblems() =>
        Assert.That(ResponseSchemaValidator.Validate(Samples.Analysis(visualAudit: true), AnalysisSchema), Is.Empty);

    [Test]
    public void MissingRequiredFields_AreNamedWithTheirPath()
    {
        var answer = Samples.Analysis(visualAudit: true);
        answer.Remove("summary");
        ((JsonObject)answer["timeline"]![0]!).Remove("description");

        Assert.That(ResponseSchemaValidator.Validate(answer, AnalysisSchema), Is.EquivalentTo(new[] { "$.summary is missing", "$.timeline[0].description is missing" }));
    }

    [Test]
    public void WrongTypes_PatternsAndEnums_AreReported()
    {
        var answer = Samples.Analysis(visualAudit: true);
        answer["title"] = 5;
        answer["timeline"]![0]!["timestamp"] = "1:2:3";
        answer["visualAudit"]![0]!["type"] = "sound";

        var problems = ResponseSchemaValidator.Validate(answer, AnalysisSchema);

        Assert.That(problems, Has.Count.EqualTo(3));
        Assert.That(problems, Has.Some.StartsWith("$.title must be a string, not 5"));
        Assert.That(problems, Has.Some.StartsWith("$.timeline[0].timestamp is '1:2:3', which does not match"));
        Assert.That(problems, Has.Some.StartsWith("$.visualAudit[0].type is 'sound'; allowed values are scene"));
    }

    [Test]
    public void NumbersOutsideTheirRange_AndEmptyArraysBelowMinItems_AreReported()
    {
        var schema = Schema.Object([("score", Schema.Number(minimum: 0, maximum: 10)), ("count", Schema.Number(integer: true)), ("tags", Schema.Array(Schema.String(), minItems: 1))]);
        var answer = new JsonObject { ["score"] = 11.5, ["count"] = 1.5, ["tags"] = new JsonArray() };

        Assert.That(ResponseSchemaValidator.Validate(answer, schema), Is.EquivalentTo(new[]
        {
            "$.score is 11.5, above the maximum 10",
            "$.count must be a whole number, not 1.5",
            "$.tags has 0 items; at least 1 are required",
        }));
    }

    [Test]
    public void TheLowerCaseJsonSchemaSpelling_IsAcceptedToo()
    {
        var schema = (JsonObject)JsonNode.Parse("""{"type":"object","properties":{"a":{"type":"boolean"}},"required":["a"]}""")!;

        Assert.That(ResponseSchemaValidator.Validate(JsonNode.Parse("""{"a":"yes"}"""), schema), Is.EqualTo(new[] { "$.a must be true or false, not the string 'yes'" }));
    }
}
