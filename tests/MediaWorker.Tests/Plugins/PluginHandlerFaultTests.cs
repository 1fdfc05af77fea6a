using MediaWorker.Tests.Plugins.Support;
using NUnit.Framework;

namespace MediaWorker.Tests.Plugins;

/// <summary>A plugin that misbehaves in CreateHandlers or its descriptors is skipped with the reason; the rest loads.</summary>
public sealed class PluginHandlerFaultTests
{
    [TestCase("throw", "FaultyPlugin.CreateHandlers threw InvalidOperationException: FIXTURE_FAULT asked CreateHandlers to fail.")]
    [TestCase("lazy_throw", "FaultyPlugin.CreateHandlers threw InvalidOperationException: FIXTURE_FAULT made the handler list fail half-way.")]
    [TestCase("null_list", "FaultyPlugin.CreateHandlers returned null instead of a list of handlers")]
    [TestCase("null_handler", "FaultyPlugin.CreateHandlers returned a null handler")]
    [TestCase("descriptor_throws", "+Handler.Descriptor threw NotSupportedException: FIXTURE_FAULT made the descriptor fail.")]
    [TestCase("duplicate", "task type 'faulty_ok' is declared twice")]
    [TestCase("bad_task_type", "task 'faulty ok' (FixtureFaulty.FaultyPlugin+Handler) has an invalid descriptor: task type 'faulty ok' is not allowed")]
    [TestCase("bad_schema", "has an invalid descriptor: parameter schema.properties.w.minimun: 'minimun' is not a supported keyword (did you mean 'minimum'?)")]
    public void Fault_SkipsThePluginWithTheReason(string fault, string expected)
    {
        using var fixture = new HostFixture(new Dictionary<string, string> { ["FIXTURE_FAULT"] = fault });
        fixture.Copy(FixturePlugins.Faulty);
        fixture.Copy(FixturePlugins.DropIn);

        var registry = fixture.Host.LoadAll();

        var failure = registry.Failures.Single();
        Assert.That(failure.Name, Is.EqualTo("FixtureFaulty"));
        Assert.That(failure.Reason, Does.Contain(expected));
        Assert.That(registry.Tasks.Keys, Is.EquivalentTo(new[] { "noop", "sleep", "dropin_echo" }), "none of the faulty plugin's tasks, all of the others'");
    }

    [Test]
    public void WithoutAFault_TheSameFixtureLoads()
    {
        using var fixture = new HostFixture();
        fixture.Copy(FixturePlugins.Faulty);

        var registry = fixture.Host.LoadAll();

        Assert.That(registry.Failures, Is.Empty);
        Assert.That(registry.Tasks.Keys, Does.Contain("faulty_ok"));
    }
}
