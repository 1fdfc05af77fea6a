using System.Text.Json.Nodes;
using MediaWorker.Storage;
using MediaWorker.Tests.Plugins.Support;
using MediaWorker.Tests.Support;
using NUnit.Framework;

namespace MediaWorker.Tests.Plugins;

/// <summary>Fixture plugins in a real <c>mediaworker run</c> process (the published daemon).</summary>
[Parallelizable(ParallelScope.Children)]
public sealed class PluginWorkerProcessTests
{
    private static readonly TimeSpan Startup = TimeSpan.FromSeconds(30);

    [Test]
    public async Task PluginDroppedIntoARunningWorker_RunsTheJobThatWaitedForIt()
    {
        using var env = new DaemonEnvironment();
        using var worker = env.StartWorker("w-dropin");
        Assert.That(await worker.WaitForOutputAsync("started", Startup), Is.True, worker.OutputText);

        // Submitted before any worker serves the task: it waits in the queue for the plugin.
        var (exit, submitted) = await env.CliAsync("submit", "dropin_echo", "--param", "message=dropped in");
        Assert.That(exit, Is.Zero, submitted);
        var jobId = submitted.Trim().Split('\n').Last();
        FixturePlugins.CopyInto(env.Environment["PLUGIN_DIR"]!, FixturePlugins.DropIn);

        using var db = env.Open();
        Assert.That(
            await DaemonEnvironment.EventuallyAsync(() => JobAdministration.Find(db, jobId)!.Status == JobStatus.Completed, TimeSpan.FromSeconds(30)),
            Is.True,
            worker.OutputText);
        var output = JsonNode.Parse(JobAdministration.Find(db, jobId)!.Output!)!;
        Assert.That(output["echo"]!.GetValue<string>(), Is.EqualTo("dropped in"));
        Assert.That(worker.OutputText, Does.Contain("loaded plugin FixtureDropIn 1.2.3"));
        Assert.That(worker.HasExited, Is.False);
    }

    [Test]
    public async Task BrokenPlugins_AreReportedAndSkipped_WhileTheNativePluginServesJobs()
    {
        using var env = new DaemonEnvironment();
        var plugins = env.Environment["PLUGIN_DIR"]!;
        FixturePlugins.CopyInto(plugins, FixturePlugins.Native);
        FixturePlugins.CopyInto(plugins, FixturePlugins.Throwing);
        FixturePlugins.CopyInto(plugins, FixturePlugins.WrongContract);
        using var worker = env.StartWorker("w-native");
        Assert.That(await worker.WaitForOutputAsync("started", Startup), Is.True, worker.OutputText);

        var (exit, output) = await env.CliAsync("submit", "native_add", "--params", """{"a":20,"b":22}""", "--wait", "--wait-timeout", "30s");

        Assert.That(exit, Is.Zero, output + "\n" + worker.OutputText);
        var row = JsonNode.Parse(output.Split('\n').Last(l => l.Length > 0))!;
        Assert.That(row["status"]!.GetValue<string>(), Is.EqualTo("completed"));
        Assert.That(row["output"]!["sum"]!.GetValue<int>(), Is.EqualTo(42));
        Assert.That(worker.OutputText, Does.Contain("FixtureThrowing refuses to start").And.Contain("built for contract major 2"));

        // Parameters are checked against the plugin's schema before its code runs.
        var (badExit, bad) = await env.CliAsync("submit", "native_add", "--params", """{"a":"x","b":1}""", "--wait", "--wait-timeout", "30s");
        Assert.That(badExit, Is.EqualTo(1), bad);
        Assert.That(JsonNode.Parse(bad.Split('\n').Last(l => l.Length > 0))!["error_message"]!.GetValue<string>(), Does.Contain("params.a: must be an integer (got \"x\")"));
    }
}
