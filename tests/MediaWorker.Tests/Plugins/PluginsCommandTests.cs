using System.CommandLine;
using System.Text.Json.Nodes;
using MediaWorker.Cli;
using MediaWorker.Tests.Plugins.Support;
using NUnit.Framework;

namespace MediaWorker.Tests.Plugins;

/// <summary><c>mediaworker plugins</c>, run in-process against a temporary plugin directory.</summary>
public sealed class PluginsCommandTests
{
    private HostFixture _fixture = null!;

    [SetUp]
    public void SetUp()
    {
        _fixture = new HostFixture();
        _fixture.Copy(FixturePlugins.DropIn);
        _fixture.Copy(FixturePlugins.Throwing);
    }

    [TearDown]
    public void TearDown() => _fixture.Dispose();

    [Test]
    public void Text_ListsPluginsTasksParametersAndFailures_AndExitsZero()
    {
        var (exitCode, output) = Run("--plugin-dir", _fixture.PluginDirectory);

        Assert.That(exitCode, Is.Zero);
        Assert.That(output, Does.Contain($"Plugin directory: {_fixture.PluginDirectory}\n"));
        Assert.That(output, Does.Match(@"builtin \d+\.\d+\.\d+ \(built into mediaworker\)"));
        Assert.That(output, Does.Contain("  noop 1.0.0: Does nothing and returns {}"));
        Assert.That(output, Does.Contain("    parameters: none\n"));
        Assert.That(output, Does.Contain("      seconds (required): a number >= 0 and <= 86400. How long to wait, in seconds; fractions such as 0.25 are allowed.\n"));
        Assert.That(output, Does.Contain($"FixtureDropIn 1.2.3 ({Path.Combine(_fixture.PluginDirectory, "FixtureDropIn")})"));
        Assert.That(output, Does.Contain("  dropin_echo 1.2.3: Echoes the message it is given (test fixture).\n    timeout 20s, at most 2 at once per worker\n"));
        Assert.That(output, Does.Contain("      message (required): a string of at least 1 character. What to echo.\n"));
        Assert.That(output, Does.Contain($"Failed to load (1):\n  {Path.Combine(_fixture.PluginDirectory, "FixtureThrowing")} (FixtureThrowing)\n    the constructor of FixtureThrowing.ThrowingPlugin threw"));
        Assert.That(output, Does.EndWith("2 plugins loaded with 3 task types; 1 plugin folder failed to load.\n"));
    }

    [Test]
    public void Json_CarriesTheFullSchemasAndTheFailures()
    {
        var (exitCode, output) = Run("--plugin-dir", _fixture.PluginDirectory, "--json");

        Assert.That(exitCode, Is.Zero);
        var report = JsonNode.Parse(output)!;
        Assert.That(report["plugin_dir"]!.GetValue<string>(), Is.EqualTo(_fixture.PluginDirectory));
        Assert.That(report["plugin_dir_exists"]!.GetValue<bool>(), Is.True);
        var plugins = report["plugins"]!.AsArray();
        Assert.That(plugins.Select(p => p!["name"]!.GetValue<string>()), Is.EqualTo(new[] { "builtin", "FixtureDropIn" }));
        Assert.That(plugins[0]!["builtin"]!.GetValue<bool>(), Is.True);
        var echo = plugins[1]!["tasks"]![0]!;
        Assert.That(echo["task_type"]!.GetValue<string>(), Is.EqualTo("dropin_echo"));
        Assert.That(echo["default_timeout_seconds"]!.GetValue<double>(), Is.EqualTo(20));
        Assert.That(echo["max_concurrency"]!.GetValue<int>(), Is.EqualTo(2));
        Assert.That(echo["parameter_schema"]!["required"]![0]!.GetValue<string>(), Is.EqualTo("message"));
        Assert.That(plugins[0]!["tasks"]![0]!["max_concurrency"], Is.Null);
        var failure = report["failures"]!.AsArray().Single()!;
        Assert.That(failure["name"]!.GetValue<string>(), Is.EqualTo("FixtureThrowing"));
        Assert.That(failure["reason"]!.GetValue<string>(), Does.Contain("THROWING_FIXTURE_SETTING is not set"));
    }

    [Test]
    public void MissingPluginDirectory_IsReported_AndExitsZero()
    {
        var missing = Path.Combine(_fixture.Root, "nowhere");

        var (exitCode, output) = Run("--plugin-dir", missing);

        Assert.That(exitCode, Is.Zero);
        Assert.That(output, Does.Contain($"Plugin directory: {missing} (does not exist; only the built-in tasks are available)"));
        Assert.That(output, Does.EndWith("1 plugin loaded with 2 task types; 0 plugin folders failed to load.\n"));
    }

    private static (int ExitCode, string Output) Run(params string[] args)
    {
        using var output = new StringWriter { NewLine = "\n" };
        using var error = new StringWriter();
        var exitCode = PluginsCommand.Create().Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        TestContext.Progress.WriteLine(output.ToString());
        Assert.That(error.ToString(), Is.Empty, "nothing on stderr");
        return (exitCode, output.ToString());
    }
}
