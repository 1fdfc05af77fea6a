using MediaWorker.Plugins;
using MediaWorker.Plugins.Abstractions;
using NUnit.Framework;

namespace MediaWorker.Tests.Plugins;

public sealed class PluginEntryPointTests
{
    [Test]
    public void AssemblyWithTwoEntryTypes_IsRefusedNamingBoth()
    {
        // This test assembly exports the two plugin classes below, which makes it an ambiguous plugin.
        var ex = Assert.Throws<PluginLoadException>(() => PluginEntryPoint.Create(typeof(PluginEntryPointTests).Assembly));

        Assert.That(ex!.Message, Does.Contain("classes implementing IMediaWorkerPlugin")
            .And.Contain(typeof(FirstEntry).FullName!)
            .And.Contain(typeof(SecondEntry).FullName!)
            .And.Contain("exactly one entry type is allowed"));
    }

    public sealed class FirstEntry : IMediaWorkerPlugin
    {
        public IEnumerable<ITaskHandler> CreateHandlers(PluginContext context) => [];
    }

    public sealed class SecondEntry : IMediaWorkerPlugin
    {
        public IEnumerable<ITaskHandler> CreateHandlers(PluginContext context) => [];
    }
}
