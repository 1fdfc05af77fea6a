using System.Text.Json.Nodes;
using MediaWorker.Plugins;
using MediaWorker.Testing;
using Microsoft.Extensions.Time.Testing;
using MediaWorker.Tests.Plugins.Support;
using NUnit.Framework;

namespace MediaWorker.Tests.Plugins;

/// <summary>Plugin folders that appear while the host runs (<see cref="PluginHost.CreateWatcher"/>).</summary>
public sealed class PluginDropInTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private HostFixture _fixture = null!;
    private PluginDirectoryWatcher _watcher = null!;

    [SetUp]
    public async Task SetUp()
    {
        _fixture = new HostFixture();
        _fixture.Host.LoadAll();
        _watcher = _fixture.Host.CreateWatcher();
        await _watcher.StartAsync(CancellationToken.None);
    }

    [TearDown]
    public async Task TearDown()
    {
        await _watcher.StopAsync(CancellationToken.None);
        _watcher.Dispose();
        _fixture.Dispose();
    }

    [Test]
    public async Task AFolderSettles_OnTheDaemonsClock_NotTheWallClock()
    {
        var time = new FakeTimeProvider();
        using var fixture = new HostFixture(time: time);
        fixture.Host.LoadAll();
        fixture.Copy(FixturePlugins.DropIn);
        var loadedAt = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
        var start = time.GetUtcNow();
        fixture.Catalog.Changed += r =>
        {
            if (r.Tasks.ContainsKey("dropin_echo"))
            {
                loadedAt.TrySetResult(time.GetUtcNow() - start);
            }
        };
        using var watcher = fixture.Host.CreateWatcher();
        await watcher.StartAsync(CancellationToken.None);

        // The folder is complete and unchanged from the start, so only the fake clock can settle it:
        // it must stay unchanged for the quiet period (200 ms) of that clock.
        using var patience = new CancellationTokenSource(Patience);
        while (!loadedAt.Task.IsCompleted)
        {
            patience.Token.ThrowIfCancellationRequested();
            time.Advance(TimeSpan.FromMilliseconds(10));
            await Task.WhenAny(loadedAt.Task, Task.Delay(TimeSpan.FromMilliseconds(5), CancellationToken.None));
        }

        Assert.That(await loadedAt.Task, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(200)));
        await watcher.StopAsync(CancellationToken.None);
        Assert.That(watcher.ExecuteTask, Is.Not.Null.And.Property(nameof(Task.IsCompletedSuccessfully)).True, "the loop ends cleanly when stopped");
    }

    [Test]
    public async Task DroppedInPlugin_IsLoadedAndANewRegistryIsPublished()
    {
        var published = WaitForAsync(r => r.Tasks.ContainsKey("dropin_echo"));

        _fixture.Copy(FixturePlugins.DropIn);

        var registry = await published;
        Assert.That(registry.Plugins.Select(p => p.Name), Is.EqualTo(new[] { "builtin", "FixtureDropIn" }));
        Assert.That(registry.Tasks.Keys, Is.SupersetOf(new[] { "noop", "sleep", "dropin_echo" }));
        using var root = new TempDirectory("mw-job");
        var output = await TestJobContext.RunAsync(registry.Tasks["dropin_echo"].Handler, new TestJobContext(root.Path, "dropin_echo", new JsonObject { ["message"] = "late" }));
        Assert.That(output["echo"]!.GetValue<string>(), Is.EqualTo("late"));
    }

    [Test]
    public async Task FolderBeingCopied_IsLoadedOnlyOnceItsEntryAssemblyArrives()
    {
        var source = FixturePlugins.BuildOutput(FixturePlugins.DropIn);
        var folder = Path.Combine(_fixture.PluginDirectory, "Slow");
        var published = new List<TaskRegistry>();
        _fixture.Catalog.Changed += r =>
        {
            lock (published)
            {
                published.Add(r);
            }
        };
        Directory.CreateDirectory(folder);
        File.Copy(Path.Combine(source, "plugin.json"), Path.Combine(folder, "plugin.json"));
        File.Copy(Path.Combine(source, "FixtureDropIn.deps.json"), Path.Combine(folder, "FixtureDropIn.deps.json"));

        // Longer than the quiet period (200 ms), shorter than the grace for incomplete folders (1 s).
        await Task.Delay(TimeSpan.FromMilliseconds(700));
        lock (published)
        {
            Assert.That(published, Is.Empty, "a folder without its entry assembly is waited for, not loaded or failed");
        }

        var loaded = WaitForAsync(r => r.Tasks.ContainsKey("dropin_echo"));
        File.Copy(Path.Combine(source, "FixtureDropIn.dll"), Path.Combine(folder, "FixtureDropIn.dll"));
        var registry = await loaded;
        Assert.That(registry.Failures, Is.Empty);
    }

    [Test]
    public async Task FailedDropIn_IsReported_AndLoadsOnceFixed()
    {
        var reported = WaitForAsync(r => r.Failures.Count == 1);
        var folder = _fixture.Copy(FixturePlugins.WrongContract);
        var failed = await reported;
        Assert.That(failed.Failures[0].Reason, Does.Contain("contract major 2"));

        var loaded = WaitForAsync(r => r.Tasks.ContainsKey("future_task"));
        FixturePlugins.EditManifest(folder, "contractMajor", 1);
        var registry = await loaded;

        Assert.That(registry.Failures, Is.Empty);
        Assert.That(registry.Plugins.Select(p => p.Name), Does.Contain("FixtureWrongContract"));
    }

    [Test]
    public async Task RemovingAFailedFolder_ClearsItsFailure()
    {
        var reported = WaitForAsync(r => r.Failures.Count == 1);
        var folder = _fixture.Copy(FixturePlugins.Throwing);
        await reported;

        var cleared = WaitForAsync(r => r.Failures.Count == 0);
        Directory.Delete(folder, recursive: true);

        await cleared;
    }

    [Test]
    public async Task DroppedInDuplicate_IsRefusedNamingBothPlugins()
    {
        var first = WaitForAsync(r => r.Tasks.ContainsKey("dropin_echo"));
        _fixture.Copy(FixturePlugins.DropIn);
        await first;

        var refused = WaitForAsync(r => r.Failures.Count == 1);
        var staging = _fixture.Copy(FixturePlugins.DropIn, ".EchoCopy");
        FixturePlugins.EditManifest(staging, "name", "EchoCopy");
        Directory.Move(staging, Path.Combine(_fixture.PluginDirectory, "EchoCopy"));

        var registry = await refused;
        Assert.That(registry.Failures[0].Reason, Does.Contain("already provided by plugin 'FixtureDropIn'").And.Contain("plugin 'EchoCopy' was skipped"));
        Assert.That(registry.Tasks["dropin_echo"].PluginName, Is.EqualTo("FixtureDropIn"));
    }

    [Test]
    public async Task AfterDispose_NewFoldersAreNotLoaded()
    {
        _fixture.Host.Dispose();
        var published = false;
        _fixture.Catalog.Changed += _ => published = true;

        _fixture.Copy(FixturePlugins.DropIn);
        await Task.Delay(TimeSpan.FromMilliseconds(800));

        Assert.That(published, Is.False);
    }

    /// <summary>Completes with the first published registry (or the current one) that satisfies <paramref name="condition"/>.</summary>
    private async Task<TaskRegistry> WaitForAsync(Func<TaskRegistry, bool> condition)
    {
        var done = new TaskCompletionSource<TaskRegistry>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnChanged(TaskRegistry registry)
        {
            if (condition(registry))
            {
                done.TrySetResult(registry);
            }
        }

        _fixture.Catalog.Changed += OnChanged;
        try
        {
            OnChanged(_fixture.Catalog.Current);
            return await done.Task.WaitAsync(Patience);
        }
        finally
        {
            _fixture.Catalog.Changed -= OnChanged;
        }
    }
}
