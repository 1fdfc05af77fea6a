using MediaWorker.Pipelines;
using MediaWorker.Pipelines.Definitions;
using MediaWorker.Pipelines.Validation;
using MediaWorker.Tests.Support;
using MediaWorker.Tests.Pipelines.Support;
using NUnit.Framework;

namespace MediaWorker.Tests.Pipelines;

/// <summary>
/// Definitions written in YAML: read into the same model as JSON, checked by the same validator,
/// and every error naming the step and field with the line it is on.
/// </summary>
public sealed class YamlDefinitionTests
{
    private const string Yaml = """
        # The same pipeline as Json below.
        name: clips
        description: Plan, then one clip per item
        defaults:
          enable_extra: false
          sizes: [320, 640]
        steps:
          - name: plan
            task: noop
            params: { path: "${input.path}" }
          - name: clips
            task: clip
            needs: plan
            for_each: steps.plan.output.items
            max_retries: 5
            timeout_seconds: 2.5
            params:
              input_path: ${input.path}
              start: ${item.start}
          - name: extra
            task: noop
            needs: [plan]
            optional: true
            priority: -1
            when: >-
              input.enable_extra
              and length(steps.plan.output.items) > 0
        """;

    private const string Json = """
        {"name": "clips", "description": "Plan, then one clip per item", "defaults": {"enable_extra": false, "sizes": [320, 640]}, "steps": [
          {"name": "plan", "task": "noop", "params": {"path": "${input.path}"}},
          {"name": "clips", "task": "clip", "needs": "plan", "for_each": "steps.plan.output.items", "max_retries": 5, "timeout_seconds": 2.5,
           "params": {"input_path": "${input.path}", "start": "${item.start}"}},
          {"name": "extra", "task": "noop", "needs": ["plan"], "optional": true, "priority": -1,
           "when": "input.enable_extra and length(steps.plan.output.items) > 0"}
        ]}
        """;

    private static DefinitionSource Source(string yaml) => new(yaml, DefinitionFormat.Yaml);

    private static ValidationReport Validate(string yaml) => PipelineValidator.Validate(Source(yaml), TestTaskSchemas.Lookup).Report;

    private static string Errors(string yaml) => string.Join("\n", Validate(yaml).Errors);

    [Test]
    public void AYamlDefinition_ReadsToTheSameModel_AsItsJson()
    {
        var (fromYaml, report) = PipelineValidator.Validate(Source(Yaml), TestTaskSchemas.Lookup);
        var (fromJson, _) = PipelineValidator.Validate(Json, TestTaskSchemas.Lookup);

        Assert.That(report.Errors, Is.Empty);
        Assert.That(Source(Yaml).ToCanonicalJson(), Is.EqualTo(new DefinitionSource(Json, DefinitionFormat.Json).ToCanonicalJson()));
        var yamlSteps = fromYaml!.Steps;
        var jsonSteps = fromJson!.Steps;
        Assert.That(yamlSteps.Select(s => (s.Name, s.Task, string.Join(",", s.Needs), s.When, s.ForEach, s.Optional, s.MaxRetries, s.TimeoutSeconds, s.Priority)),
            Is.EqualTo(jsonSteps.Select(s => (s.Name, s.Task, string.Join(",", s.Needs), s.When, s.ForEach, s.Optional, s.MaxRetries, s.TimeoutSeconds, s.Priority))));
        Assert.That(yamlSteps.Select(s => s.Params.ToJsonString()), Is.EqualTo(jsonSteps.Select(s => s.Params.ToJsonString())));
        Assert.That(fromYaml.Defaults.ToJsonString(), Is.EqualTo("""{"enable_extra":false,"sizes":[320,640]}"""));
    }

    [TestCase("v: true", "true")]
    [TestCase("v: False", "false")]
    [TestCase("v: null", "null")]
    [TestCase("v: ~", "null")]
    [TestCase("v:", "null")]
    [TestCase("v: 12", "12")]
    [TestCase("v: -3", "-3")]
    [TestCase("v: 2.5", "2.5")]
    [TestCase("v: 1e3", "1000")]
    [TestCase("v: 0x1F", "31")]
    [TestCase("v: 0o17", "15")]
    [TestCase("v: yes", "\"yes\"")]
    [TestCase("v: on", "\"on\"")]
    [TestCase("v: '12'", "\"12\"")]
    [TestCase("v: \"true\"", "\"true\"")]
    [TestCase("v: !!str 12", "\"12\"")]
    [TestCase("v: !!float 3", "3")]
    [TestCase("v: 1.2.3", "\"1.2.3\"")]
    [TestCase("v: ${input.path}", "\"${input.path}\"")]
    [TestCase("v: |\n  two\n  lines", "\"two\\nlines\"")]
    [TestCase("v: {a: [1, {b: c}]}", "{\"a\":[1,{\"b\":\"c\"}]}")]
    public void Scalars_FollowTheYaml12CoreSchema(string yaml, string json)
    {
        var (root, _, error) = Source(yaml).Parse();
        Assert.That(error, Is.Null);
        Assert.That(root!["v"]?.ToJsonString() ?? "null", Is.EqualTo(json));
    }

    [Test]
    public void AnchorsAndAliases_AreExpanded()
    {
        var (root, _, error) = Source("common: &common {input_path: a.mp4, start: 1}\nsteps:\n  - params: *common\n  - params: *common\n").Parse();
        Assert.That(error, Is.Null);
        Assert.That(root!["steps"]!.AsArray().Select(s => s!["params"]!.ToJsonString()), Has.All.EqualTo("""{"input_path":"a.mp4","start":1}"""));
    }

    [TestCase("name: x\nsteps: [a, b\n", "line 3: the definition is not valid YAML")]
    [TestCase("name: x\nname: y\nsteps: []\n", "line 2: the key 'name' appears twice in the same mapping")]
    [TestCase("base: &b {task: noop}\nsteps:\n  - <<: *b\n    name: a\n", "line 3: merge keys (<<) are not supported")]
    [TestCase("name: x\n---\nname: y\n", "line 2: the file holds more than one YAML document")]
    [TestCase("name: x\nsteps:\n  - name: a\n    task: noop\n    priority: .inf\n", "line 5: '.inf' is not a number a definition can hold")]
    [TestCase("name: !secret x\n", "line 1: the tag !secret is not supported")]
    [TestCase("name: x\nsteps:\n  - *nowhere\n", "line 3: the alias *nowhere refers to no anchor before it")]
    [TestCase("v: !!int abc\n", "line 1: 'abc' is tagged as an integer but is not one")]
    [TestCase("? [a, b]\n: c\n", "line 1: a key must be a plain name")]
    [TestCase("", "the definition is empty")]
    [TestCase("- name: a\n", "the definition must be a YAML mapping with 'name' and 'steps'")]
    public void BrokenYaml_IsRefused_WithTheLine(string yaml, string expected) => Assert.That(Errors(yaml), Does.StartWith(expected));

    [Test]
    public void AliasesThatExplode_AreRefused()
    {
        var yaml = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
        for (var i = 0; i < 6; i++)
        {
            yaml += $"{(char)('b' + i)}: &{(char)('b' + i)} [*{(char)('a' + i)}, *{(char)('a' + i)}, *{(char)('a' + i)}, *{(char)('a' + i)}, *{(char)('a' + i)}, *{(char)('a' + i)}, *{(char)('a' + i)}, *{(char)('a' + i)}, *{(char)('a' + i)}, *{(char)('a' + i)}]\n";
        }

        Assert.That(Errors(yaml), Does.Contain("expands to more than 100000 values"));
    }

    [TestCase("name: x\nsteps:\n  - name: a\n    task: noop\n    retries: 2\n", "line 5: step 'a': unknown field 'retries'")]
    [TestCase("name: x\nsteps:\n  - name: a\n    task: noop\n    optional: yes\n", "line 5: step 'a': optional must be true or false")]
    [TestCase("name: x\nsteps:\n  - name: a\n    task: noop\n    max_retries: many\n", "line 5: step 'a': max_retries must be a whole number")]
    [TestCase("name: x\nsteps:\n  - name: a\n    task: noop\n    params: [1]\n", "line 5: step 'a': params must be an object")]
    [TestCase("name: x\nsteps:\n  - name: a\n    task:\n", "line 4: step 'a': task: missing")]
    [TestCase("name: x\nsteps:\n  - name: a\n    task: noop\n  - task: noop\n", "line 5: steps[1].name: missing")]
    [TestCase("name: x\ncolour: red\nsteps:\n  - {name: a, task: noop}\n", "line 2: unknown field 'colour'")]
    [TestCase("name: x\nsteps: {a: 1}\n", "line 2: steps: must be a non-empty list of steps")]
    public void ShapeErrors_NameTheStepFieldAndLine(string yaml, string expected) => Assert.That(Errors(yaml), Does.Contain(expected));

    [TestCase("name: x\nsteps:\n  - name: a\n    task: imgae_resize\n", "line 4: step 'a': task: unknown task type 'imgae_resize'")]
    [TestCase("name: x\nsteps:\n  - name: a\n    task: noop\n    needs: [z]\n", "line 5: step 'a': needs: no step is named 'z'")]
    [TestCase("name: x\nsteps:\n  - name: a\n    task: noop\n    needs: b\n  - name: b\n    task: noop\n    needs: a\n", "line 5: needs: the steps form a cycle (a -> b -> a)")]
    [TestCase("name: x\nsteps:\n  - name: a\n    task: noop\n    when: input.a &&\n", "line 5: step 'a': when: '&&' is not an operator here")]
    [TestCase("name: x\nsteps:\n  - name: a\n    task: clip\n    params:\n      input_path: /m.mp4\n      start: -1\n", "line 7: step 'a': params.start: must be")]
    [TestCase("name: x\nsteps:\n  - name: a\n    task: clip\n    params:\n      input_path: /m.mp4\n", "line 5: step 'a': params.start: is required")]
    [TestCase("name: x\nsteps:\n  - name: a\n    task: noop\n    params:\n      p:\n        - ok\n        - ${input.x\n", "line 8: step 'a': params.p[1]: '${' at position 1")]
    [TestCase("name: x\nsteps:\n  - name: a\n    task: noop\n  - name: b\n    task: noop\n    params: {p: \"${steps.a.output}\"}\n", "line 7: step 'b': params.p: steps.a is not among the steps it needs")]
    public void ValidatorErrors_NameTheStepFieldAndLine(string yaml, string expected) => Assert.That(Errors(yaml), Does.Contain(expected));

    [Test]
    public void Warnings_CarryTheLineToo()
    {
        var report = Validate("name: x\nsteps:\n  - name: speech\n    optional: true\n    task: transcribe\n");
        Assert.That(report.Errors, Is.Empty);
        Assert.That(report.Warnings.Single(), Does.StartWith("line 5: step 'speech': task: no loaded plugin offers 'transcribe'"));
    }

    [Test]
    public void TheSameDefinition_InYamlAndJson_IsOneStoredVersion()
    {
        using var store = new StoreFixture();
        var (_, first, _) = PipelineSubmission.Store(store.Connection, Source(Yaml), TestTaskSchemas.Lookup, store.Now);
        var (_, second, _) = PipelineSubmission.Store(store.Connection, new DefinitionSource(Json, DefinitionFormat.Json), TestTaskSchemas.Lookup, store.Now);
        var (_, changed, _) = PipelineSubmission.Store(store.Connection, Source(Yaml.Replace("max_retries: 5", "max_retries: 6", StringComparison.Ordinal)), TestTaskSchemas.Lookup, store.Now);

        Assert.That((first, second, changed), Is.EqualTo((1L, 1L, 2L)));
    }

    [TestCase("video_qa.yaml", DefinitionFormat.Yaml)]
    [TestCase("video_qa.YML", DefinitionFormat.Yaml)]
    [TestCase("video_qa.json", DefinitionFormat.Json)]
    [TestCase("video_qa", DefinitionFormat.Json)]
    public void TheFileName_SaysTheFormat(string path, DefinitionFormat format) => Assert.That(DefinitionSource.FormatOfFile(path), Is.EqualTo(format));

    [TestCase("application/yaml", DefinitionFormat.Yaml)]
    [TestCase("application/yaml; charset=utf-8", DefinitionFormat.Yaml)]
    [TestCase("application/x-yaml", DefinitionFormat.Yaml)]
    [TestCase("text/yaml", DefinitionFormat.Yaml)]
    [TestCase("application/json", DefinitionFormat.Json)]
    [TestCase(null, DefinitionFormat.Json)]
    public void TheContentType_SaysTheFormat(string? contentType, DefinitionFormat format) => Assert.That(DefinitionSource.FormatOfMediaType(contentType), Is.EqualTo(format));
}
