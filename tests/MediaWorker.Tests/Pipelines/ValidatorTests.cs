using MediaWorker.Pipelines.Validation;
using MediaWorker.Tests.Pipelines.Support;
using NUnit.Framework;

namespace MediaWorker.Tests.Pipelines;

public sealed class ValidatorTests
{
    private static ValidationReport Validate(string json) => PipelineValidator.Validate(json, TestTaskSchemas.Lookup).Report;

    private static string Errors(string json) => string.Join("\n", Validate(json).Errors);

    [Test]
    public void AValidDag_WithJoinFanOutAndConditions_Passes()
    {
        var report = Validate("""
            {"name": "ok", "defaults": {"enable": true}, "steps": [
              {"name": "a", "task": "noop"},
              {"name": "b", "task": "noop", "needs": "a", "when": "input.enable and steps.a.status == 'completed'"},
              {"name": "c", "task": "clip", "needs": ["a"], "for_each": "${steps.a.output.items}", "params": {"input_path": "${input.path}", "start": "${item.start}"}},
              {"name": "d", "task": "noop", "needs": ["b", "c"], "params": {"n": "${length(steps.c.output)}", "first": "${steps.a.output.x}"}}
            ]}
            """);
        Assert.That(report.Errors, Is.Empty);
    }

    [TestCase("""{"steps": [{"name": "a", "task": "noop"}]}""", "name: missing")]
    [TestCase("""{"name": "x", "steps": []}""", "steps: must be a non-empty list")]
    [TestCase("""{"name": "x", "steps": [{"name": "a"}]}""", "step 'a': task: missing")]
    [TestCase("""{"name": "x", "steps": [{"name": "a", "task": "noop", "retries": 2}]}""", "step 'a': unknown field 'retries'")]
    [TestCase("""{"name": "x", "steps": [{"name": "a", "task": "noop", "max_retries": -1}]}""", "step 'a': max_retries must be a whole number")]
    [TestCase("""{"name": "x", "steps": [{"name": "a", "task": "noop", "timeout_seconds": 0}]}""", "step 'a': timeout_seconds must be a number of seconds above 0")]
    [TestCase("""{"name": "x", "steps": [{"name": "a", "task": "noop", "optional": "yes"}]}""", "step 'a': optional must be true or false")]
    [TestCase("""{"name": "x", "steps": [{"name": "a", "task": "noop", "params": []}]}""", "step 'a': params must be an object")]
    [TestCase("""{"name": "x" "steps": []}""", "not valid JSON")]
    public void Shape_Errors(string json, string expected) => Assert.That(Errors(json), Does.Contain(expected));

    [TestCase("""{"name": "x", "steps": [{"name": "a", "task": "imgae_resize"}]}""", "step 'a': task: unknown task type 'imgae_resize'")]
    [TestCase("""{"name": "x", "steps": [{"name": "a", "task": "noop"}, {"name": "a", "task": "noop"}]}""", "step 'a': the name is used by more than one step")]
    [TestCase("""{"name": "x", "steps": [{"name": "a-b", "task": "noop"}]}""", "step 'a-b': the name must be letters")]
    [TestCase("""{"name": "x", "steps": [{"name": "a", "task": "noop", "needs": ["z"]}]}""", "step 'a': needs: no step is named 'z'")]
    [TestCase("""{"name": "x", "steps": [{"name": "a", "task": "noop", "needs": ["a"]}]}""", "step 'a': needs: a step cannot need itself")]
    [TestCase("""{"name": "x", "steps": [{"name": "a", "task": "noop", "needs": ["c"]}, {"name": "b", "task": "noop", "needs": ["a"]}, {"name": "c", "task": "noop", "needs": ["b"]}]}""", "the steps form a cycle (a -> c -> b -> a)")]
    [TestCase("""{"name": "x", "steps": [{"name": "a", "task": "noop"}, {"name": "b", "task": "noop", "params": {"p": "${steps.a.output}"}}]}""", "step 'b': params.p: steps.a is not among the steps it needs")]
    [TestCase("""{"name": "x", "steps": [{"name": "a", "task": "noop", "params": {"p": "${steps.a.output}"}}]}""", "step 'a': params.p: steps.a is the step itself")]
    [TestCase("""{"name": "x", "steps": [{"name": "a", "task": "noop"}, {"name": "b", "task": "noop", "needs": "a", "when": "steps.a.result"}]}""", "step 'b': when: steps.a.result: a step has 'output' and 'status'")]
    [TestCase("""{"name": "x", "steps": [{"name": "a", "task": "noop", "params": {"p": "${item.x}"}}]}""", "step 'a': params.p: 'item' is only defined in the params of a for_each step")]
    [TestCase("""{"name": "x", "steps": [{"name": "a", "task": "noop", "when": "input.a &&"}]}""", "step 'a': when: '&&' is not an operator here")]
    [TestCase("""{"name": "x", "steps": [{"name": "a", "task": "noop", "params": {"p": ["ok", "${input.x"]}}]}""", "step 'a': params.p[1]: '${' at position 1")]
    [TestCase("""{"name": "x", "steps": [{"name": "a", "task": "noop", "for_each": "${item}"}]}""", "step 'a': for_each: 'item' is only defined")]
    [TestCase("""{"name": "x", "steps": [{"name": "a", "task": "clip", "params": {"input_path": "/m.mp4"}}]}""", "step 'a': params.start")]
    [TestCase("""{"name": "x", "steps": [{"name": "a", "task": "clip", "params": {"input_path": "/m.mp4", "start": -1}}]}""", "step 'a': params.start: must be")]
    [TestCase("""{"name": "x", "steps": [{"name": "a", "task": "clip", "params": {"input_path": 5, "start": 1}}]}""", "step 'a': params.input_path: must be")]
    [TestCase("""{"name": "x", "steps": [{"name": "a", "task": "clip", "params": {"input_path": "${input.p}", "start": 1, "speed": "${input.s}"}}]}""", "step 'a': params.speed: 'clip' has no parameter 'speed'")]
    public void Meaning_Errors_NameTheStepAndField(string json, string expected) => Assert.That(Errors(json), Does.Contain(expected));

    [Test]
    public void TemplatedRequiredParameters_AreNotReportedMissing()
    {
        Assert.That(Errors("""{"name": "x", "steps": [{"name": "a", "task": "clip", "params": {"input_path": "${input.p}", "start": "${input.s}"}}]}"""), Is.Empty);
    }

    [Test]
    public void AnOptionalStep_WithATaskNothingOffers_IsAWarning_NotAnError()
    {
        var report = Validate("""{"name": "x", "steps": [{"name": "speech", "task": "transcribe", "optional": true}]}""");
        Assert.That(report.Errors, Is.Empty);
        Assert.That(report.Warnings.Single(), Does.Contain("step 'speech': task: no loaded plugin offers 'transcribe'"));
    }

    [Test]
    public void EveryError_IsReported_InOnePass()
    {
        var report = Validate("""{"name": "x", "steps": [{"name": "a", "task": "nope"}, {"name": "b", "task": "noop", "needs": ["zz"], "when": "1 <"}]}""");
        Assert.That(report.Errors, Has.Count.EqualTo(3), string.Join("\n", report.Errors));
    }
}
