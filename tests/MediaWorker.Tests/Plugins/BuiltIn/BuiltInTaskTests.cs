using System.Diagnostics;
using System.Text.Json.Nodes;
using MediaWorker.Plugins;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.BuiltIn;
using MediaWorker.Plugins.Validation;
using MediaWorker.Testing;
using NUnit.Framework;

namespace MediaWorker.Tests.Plugins.BuiltIn;

public sealed class BuiltInTaskTests
{
    private TempDirectory _root = null!;

    [SetUp]
    public void SetUp() => _root = new TempDirectory("mw-builtin");

    [TearDown]
    public void TearDown() => _root.Dispose();

    [Test]
    public async Task Noop_ReturnsAnEmptyObject()
    {
        var output = await RunAsync(new NoopHandler(), []);

        Assert.That(output.ToJsonString(), Is.EqualTo("{}"));
    }

    [Test]
    public void Noop_TakesNoParameters() =>
        Assert.That(ParameterValidator.Validate(new NoopHandler().Descriptor.ParameterSchema, JsonNode.Parse("""{"x":1}""")),
            Is.EqualTo(new[] { "params.x: is not a recognised parameter; none are allowed here" }));

    [Test]
    public async Task Sleep_WaitsAndReportsTheSecondsSlept()
    {
        var stopwatch = Stopwatch.StartNew();
        var output = await RunAsync(Sleep(), new JsonObject { ["seconds"] = 0.3 });

        Assert.That(stopwatch.Elapsed, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(290)));
        Assert.That(output["slept_seconds"]!.GetValue<double>(), Is.EqualTo(0.3));
    }

    [Test]
    public async Task Sleep_OfZero_ReturnsAtOnce()
    {
        var output = await RunAsync(Sleep(), new JsonObject { ["seconds"] = 0 });

        Assert.That(output["slept_seconds"]!.GetValue<double>(), Is.Zero);
    }

    [Test]
    public async Task Sleep_StopsPromptlyWhenCancelled()
    {
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        var stopwatch = Stopwatch.StartNew();

        await Assert.ThatAsync(() => RunAsync(Sleep(), new JsonObject { ["seconds"] = 60 }, cancellation.Token), Throws.InstanceOf<OperationCanceledException>());
        Assert.That(stopwatch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(2)));
    }

    [Test]
    public async Task Sleep_ReportsRisingProgress()
    {
        var context = new TestJobContext(_root.Path, "sleep", new JsonObject { ["seconds"] = 1.2 });

        await TestJobContext.RunAsync(Sleep(), context);

        Assert.That(context.ReportedProgress, Is.Not.Empty);
        Assert.That(context.ReportedProgress, Is.Ordered.Ascending);
        Assert.That(context.ReportedProgress, Has.All.InRange(1, 99));
    }

    [TestCase("""{}""", "params.seconds: is required (a number >= 0 and <= 86400)")]
    [TestCase("""{"seconds":-1}""", "params.seconds: must be a number >= 0 and <= 86400 (got -1)")]
    [TestCase("""{"seconds":"5"}""", "params.seconds: must be a number >= 0 and <= 86400 (got \"5\")")]
    [TestCase("""{"seconds":1,"verbose":true}""", "params.verbose: is not a recognised parameter; allowed: seconds")]
    public void Sleep_SchemaRejectsWhatAPersonCouldGetWrong(string parameters, string expected) =>
        Assert.That(ParameterValidator.Validate(Sleep().Descriptor.ParameterSchema, JsonNode.Parse(parameters)), Is.EqualTo(new[] { expected }));

    [Test]
    public Task Sleep_CalledWithoutValidation_FailsPermanently() =>
        Assert.ThatAsync(() => RunAsync(Sleep(), new JsonObject { ["seconds"] = "soon" }),
            Throws.InstanceOf<PermanentJobException>().With.Message.EqualTo("params.seconds: must be a number from 0 to 86400 (got \"soon\")"));

    [Test]
    public void BuiltInDescriptors_PassTheHostsOwnChecks()
    {
        foreach (var handler in new ITaskHandler[] { new NoopHandler(), Sleep() })
        {
            Assert.That(TaskDescriptorCheck.Check(handler.Descriptor), Is.Empty, handler.Descriptor.TaskType);
        }
    }

    private static SleepHandler Sleep() => new(TimeProvider.System);

    private Task<JsonObject> RunAsync(ITaskHandler handler, JsonObject parameters, CancellationToken cancellationToken = default) =>
        TestJobContext.RunAsync(handler, new TestJobContext(_root.Path, handler.Descriptor.TaskType, parameters), cancellationToken);
}
