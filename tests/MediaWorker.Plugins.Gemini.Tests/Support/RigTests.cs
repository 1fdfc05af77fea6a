using NUnit.Framework;

namespace MediaWorker.Plugins.Gemini.Tests.Support;

/// <summary>A test class that gets a fresh <see cref="GeminiRig"/> (fake server, sandbox, handlers) per test.</summary>
public abstract class RigTests
{
    protected GeminiRig Rig { get; private set; } = null!;

    [SetUp]
    public async Task StartRigAsync() => Rig = await GeminiRig.StartAsync();

    [TearDown]
    public async Task StopRigAsync() => await Rig.DisposeAsync();
}
