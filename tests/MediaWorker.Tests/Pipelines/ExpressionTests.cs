using System.Text.Json.Nodes;
using MediaWorker.Pipelines.Expressions;
using NUnit.Framework;

namespace MediaWorker.Tests.Pipelines;

public sealed class ExpressionTests
{
    private static readonly ExpressionScope Scope = new()
    {
        Input = new JsonObject { ["path"] = "/media/a.mp4", ["enable_vision"] = false, ["count"] = 3, ["tags"] = new JsonArray("a", "b") },
        Steps = new Dictionary<string, StepView>
        {
            ["probe"] = new("completed", JsonNode.Parse("""{"audio_streams": 1, "duration": 12.5, "streams": [{"codec": "h264"}, {"codec": "aac"}]}""")),
            ["transcribe"] = new("skipped", null),
        },
        Run = new JsonObject { ["id"] = "r1" },
    };

    private static JsonNode? Eval(string text, ExpressionScope? scope = null) => ExpressionEvaluator.Evaluate(ExpressionParser.Parse(text), scope ?? Scope);

    [TestCase("input.path", "\"/media/a.mp4\"")]
    [TestCase("input.count", "3")]
    [TestCase("input.missing", "null")]
    [TestCase("input.missing.deeper", "null")]
    [TestCase("input.missing ?? 'x'", "\"x\"")]
    [TestCase("input.tags[1]", "\"b\"")]
    [TestCase("input.tags[-1]", "\"b\"")]
    [TestCase("input.tags[5]", "null")]
    [TestCase("input['path']", "\"/media/a.mp4\"")]
    [TestCase("steps.probe.output.audio_streams", "1")]
    [TestCase("steps.probe.output.streams[0].codec", "\"h264\"")]
    [TestCase("steps.probe.status", "\"completed\"")]
    [TestCase("steps.transcribe.output", "null")]
    [TestCase("steps.transcribe.status == 'skipped'", "true")]
    [TestCase("length(steps.probe.output.streams)", "2")]
    [TestCase("length(input.path)", "12")]
    [TestCase("exists(input.missing)", "false")]
    [TestCase("run.id", "\"r1\"")]
    public void References_AndFunctions(string text, string expected) =>
        Assert.That(Eval(text)?.ToJsonString() ?? "null", Is.EqualTo(expected));

    [TestCase("steps.probe.output.audio_streams > 0", true)]
    [TestCase("steps.probe.output.duration >= 12.5", true)]
    [TestCase("steps.probe.output.duration < 12", false)]
    [TestCase("input.count == 3.0", true)]
    [TestCase("input.count != 3", false)]
    [TestCase("'abc' < 'abd'", true)]
    [TestCase("input.enable_vision", false)]
    [TestCase("not input.enable_vision", true)]
    [TestCase("input.enable_vision or input.count > 2", true)]
    [TestCase("input.enable_vision and input.missing.x > 2", false)]
    [TestCase("(input.count > 1 and input.count < 5) and not (input.path == '')", true)]
    [TestCase("input.enable_transcription ?? true", true)]
    [TestCase("-1 < 0", true)]
    [TestCase("null == input.missing", true)]
    public void Conditions(string text, bool expected)
        => Assert.That(ExpressionEvaluator.IsTrue(Eval(text)), Is.EqualTo(expected));

    [TestCase("input.", "a name must follow '.'")]
    [TestCase("input.path ==", "ends too early")]
    [TestCase("input.a && input.b", "write 'and'")]
    [TestCase("!input.a", "write 'not'")]
    [TestCase("1 < 2 < 3", "do not chain")]
    [TestCase("env.HOME", "unknown name 'env'")]
    [TestCase("system('rm -rf /')", "unknown function 'system'")]
    [TestCase("length(1, 2)", "takes 1 argument")]
    [TestCase("'open", "not closed")]
    [TestCase("input.path )", "unexpected ')'")]
    [TestCase("input.path # comment", "unexpected character '#'")]
    [TestCase("input.tags == ['a']", "unexpected '['")]
    public void Syntax_Errors_SayWhereAndWhy(string text, string expected)
    {
        var error = Assert.Throws<ExpressionException>(() => ExpressionParser.Parse(text))!;
        Assert.That(error.Message, Does.Contain(expected).And.Contain("position"));
    }

    [TestCase("input.count < 'a'", "compares two numbers or two strings")]
    [TestCase("input.count.x", "cannot be read from number 3")]
    [TestCase("input.path[0]", "cannot be indexed")]
    [TestCase("steps.nope.output", "no such step")]
    [TestCase("steps.probe.result", "a step has 'output' and 'status'")]
    [TestCase("index", "only defined in a for_each step")]
    public void Evaluation_Errors(string text, string expected) =>
        Assert.That(Assert.Throws<ExpressionException>(() => Eval(text))!.Message, Does.Contain(expected));

    [Test]
    public void Template_WholeExpression_KeepsItsType_MixedText_IsText()
    {
        Assert.That(Template.Parse("${steps.probe.output.streams}").Render(Scope), Is.InstanceOf<JsonArray>());
        Assert.That(Template.Parse("${input.count}").Render(Scope)!.ToJsonString(), Is.EqualTo("3"));
        Assert.That(Template.Parse("clip-${input.count}-${steps.probe.output.duration}.mp4").Render(Scope)!.GetValue<string>(), Is.EqualTo("clip-3-12.5.mp4"));
        Assert.That(Template.Parse("cost $${not} ${input.count}").Render(Scope)!.GetValue<string>(), Is.EqualTo("cost ${not} 3"));
        Assert.That(Template.Parse("${ input.missing ?? '}' }").Render(Scope)!.GetValue<string>(), Is.EqualTo("}"), "a brace inside a string does not close the template");
    }

    [Test]
    public void RenderValue_NamesTheField_AndSkipsOnSkippedOutput()
    {
        var parameters = JsonNode.Parse("""{"a": {"b": ["${input.count > 'x'}"]}}""");
        var error = Assert.Throws<ExpressionException>(() => Template.RenderValue(parameters, Scope, "params"))!;
        Assert.That(error.Message, Does.StartWith("params.a.b[0]: "));

        var skipped = Assert.Throws<SkippedStepReferenceException>(() => Template.RenderValue(JsonValue.Create("${steps.transcribe.output.path}"), Scope with { SkippedOutputSkipsStep = true }, "params.x"))!;
        Assert.That(skipped.Step, Is.EqualTo("transcribe"));

        var forEach = Scope with { Item = JsonNode.Parse("""{"start": 1.5}"""), Index = 7 };
        Assert.That(Template.RenderValue(JsonNode.Parse("""{"s": "${item.start}", "n": "${index}", "k": 4}"""), forEach, "params")!.ToJsonString(), Is.EqualTo("""{"s":1.5,"n":7,"k":4}"""));
    }

    [Test]
    public void WhenCondition_MayBeWrappedInATemplate()
    {
        Assert.That(ExpressionEvaluator.IsTrue(ExpressionEvaluator.Evaluate(PipelineExpressions.ParseCondition("${steps.probe.output.audio_streams > 0}"), Scope)), Is.True);
        Assert.That(ExpressionEvaluator.IsTrue(ExpressionEvaluator.Evaluate(PipelineExpressions.ParseCondition("input.count > 5"), Scope)), Is.False);
    }
}
