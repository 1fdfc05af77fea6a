using System.Text.Json.Nodes;
using MediaWorker.Tests.Support;
using NUnit.Framework;

namespace MediaWorker.Tests.Pipelines;

/// <summary><c>mediaworker pipeline validate | run</c> with .yaml and .yml files, through the real CLI and a real worker.</summary>
public sealed class YamlCliTests
{
    private const string Linear = """
        # A noop step, then two that run or are skipped on the run's input.
        name: yaml_linear
        steps:
          - name: first
            task: noop
          - name: second
            task: noop
            needs: first
            when: input.label == 'hello' and steps.first.status == 'completed'
          - name: third
            task: noop
            needs: [first]
            when: "input.label != 'hello'"
        """;

    [Test]
    public async Task Validate_ReportsErrors_WithTheLine_AndRun_RunsAYmlFile()
    {
        using var env = new DaemonEnvironment();
        env.Environment["LOG_LEVEL"] = "warning";
        var broken = Path.Combine(env.ServerDirectory, "broken.yaml");
        File.WriteAllText(broken, "name: broken\nsteps:\n  - name: a\n    task: nope\n    needs: [b]\n");
        var (badCode, badOutput) = await env.CliAsync("pipeline", "validate", broken);
        Assert.That(badCode, Is.EqualTo(1), badOutput);
        Assert.That(badOutput, Does.Contain("error: line 5: step 'a': needs: no step is named 'b'"));
        Assert.That(badOutput, Does.Contain("error: line 4: step 'a': task: unknown task type 'nope'"));

        var file = Path.Combine(env.ServerDirectory, "linear.yml");
        File.WriteAllText(file, Linear);
        var (okCode, okOutput) = await env.CliAsync("pipeline", "validate", file);
        Assert.That(okCode, Is.Zero, okOutput);
        Assert.That(okOutput, Does.Contain("yaml_linear: valid (3 steps)"));

        env.StartWorker("yaml-cli");
        var (runCode, runOutput) = await env.CliAsync("pipeline", "run", file, "--input", """{"label": "hello"}""", "--wait", "--wait-timeout", "1m");
        Assert.That(runCode, Is.Zero, runOutput);
        var run = JsonNode.Parse(runOutput[runOutput.IndexOf("{\n", StringComparison.Ordinal)..])!;
        Assert.That(run["status"]!.GetValue<string>(), Is.EqualTo("completed"));
        var steps = run["steps"]!.AsArray().ToDictionary(s => s!["step"]!.GetValue<string>(), s => s!["status"]!.GetValue<string>());
        Assert.That(steps, Is.EqualTo(new Dictionary<string, string> { ["first"] = "completed", ["second"] = "completed", ["third"] = "skipped" }));
    }
}
