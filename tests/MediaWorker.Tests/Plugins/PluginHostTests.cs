using System.Reflection;
using System.Runtime.Loader;
using System.Text.Json.Nodes;
using MediaWorker.Plugins;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Testing;
using MediaWorker.Tests.Plugins.Support;
using Microsoft.Extensions.Logging;
using NUnit.Framework;

namespace MediaWorker.Tests.Plugins;

public sealed class PluginHostTests
{
    private HostFixture _fixture = null!;

    [SetUp]
    public void SetUp() => _fixture = new HostFixture();

    [TearDown]
    public void TearDown() => _fixture.Dispose();

    [Test]
    public void LoadAll_RegistersTheBuiltInTasks_WhenThePluginDirectoryIsEmpty()
    {
        var registry = _fixture.Host.LoadAll();

        Assert.That(registry.Tasks.Keys, Is.EquivalentTo(new[] { "noop", "sleep" }));
        Assert.That(registry.Tasks["noop"].PluginName, Is.EqualTo("builtin"));
        Assert.That(registry.Plugins.Select(p => p.Name), Is.EqualTo(new[] { "builtin" }));
        Assert.That(registry.Failures, Is.Empty);
    }

    [Test]
    public void LoadAll_PublishesTheRegistryToTheCatalog()
    {
        TaskRegistry? published = null;
        _fixture.Catalog.Changed += r => published = r;

        var registry = _fixture.Host.LoadAll();

        Assert.That(published, Is.SameAs(registry));
        Assert.That(_fixture.Catalog.Current, Is.SameAs(registry));
    }

    [Test]
    public void LoadAll_WhenThePluginDirectoryDoesNotExist_ServesTheBuiltInsOnly()
    {
        Directory.Delete(_fixture.PluginDirectory);

        var registry = _fixture.Host.LoadAll();

        Assert.That(registry.Tasks.Keys, Is.EquivalentTo(new[] { "noop", "sleep" }));
        Assert.That(registry.Failures, Is.Empty);
    }

    [Test]
    public void LoadAll_LoadsAPluginWithItsManifestAndDescriptor()
    {
        var folder = _fixture.Copy(FixturePlugins.DropIn);

        var registry = _fixture.Host.LoadAll();

        var plugin = registry.Plugins.Single(p => p.Name == "FixtureDropIn");
        Assert.That(plugin.Version, Is.EqualTo("1.2.3"));
        Assert.That(plugin.Directory, Is.EqualTo(folder));
        Assert.That(plugin.Tasks, Is.EqualTo(new[] { "dropin_echo" }));
        var task = registry.Tasks["dropin_echo"];
        Assert.That(task.PluginName, Is.EqualTo("FixtureDropIn"));
        Assert.That(task.PluginVersion, Is.EqualTo("1.2.3"));
        Assert.That(task.Descriptor.MaxConcurrency, Is.EqualTo(2));
        Assert.That(task.Descriptor.DefaultTimeout, Is.EqualTo(TimeSpan.FromSeconds(20)));
    }

    [Test]
    public async Task LoadedHandler_UsesTheHostsContractTypes()
    {
        _fixture.Copy(FixturePlugins.DropIn);
        var handler = _fixture.Host.LoadAll().Tasks["dropin_echo"].Handler;

        var handlerAssembly = handler.GetType().Assembly;
        Assert.That(AssemblyLoadContext.GetLoadContext(handlerAssembly), Is.InstanceOf<PluginLoadContext>());
        Assert.That(handler.GetType().GetInterfaces(), Does.Contain(typeof(ITaskHandler)), "the plugin's ITaskHandler is the host's type");
        var contractSeenByPlugin = handlerAssembly.GetReferencedAssemblies().Single(a => a.Name == "MediaWorker.Plugins.Abstractions");
        Assert.That(AssemblyLoadContext.GetLoadContext(handlerAssembly)!.LoadFromAssemblyName(contractSeenByPlugin), Is.SameAs(typeof(ITaskHandler).Assembly));
        var loggingSeenByPlugin = AssemblyLoadContext.GetLoadContext(handlerAssembly)!.LoadFromAssemblyName(new AssemblyName("Microsoft.Extensions.Logging.Abstractions"));
        Assert.That(loggingSeenByPlugin, Is.SameAs(typeof(ILogger).Assembly));

        // The handler logs through the host's ILogger and reads the host's JsonObject: a type mismatch would throw here.
        using var root = new TempDirectory("mw-job");
        var output = await TestJobContext.RunAsync(handler, new TestJobContext(root.Path, "dropin_echo", new JsonObject { ["message"] = "hi" }));
        Assert.That(output["echo"]!.GetValue<string>(), Is.EqualTo("hi"));
    }

    [Test]
    public void PluginFolder_DoesNotCarryTheContract() =>
        Assert.That(File.Exists(Path.Combine(FixturePlugins.BuildOutput(FixturePlugins.DropIn), "MediaWorker.Plugins.Abstractions.dll")), Is.False);

    [Test]
    public void ContractCopyShippedInAPluginFolder_IsIgnored_InFavourOfTheHosts()
    {
        var folder = _fixture.Copy(FixturePlugins.DropIn);
        File.Copy(typeof(ITaskHandler).Assembly.Location, Path.Combine(folder, "MediaWorker.Plugins.Abstractions.dll"));
        File.Copy(typeof(ILogger).Assembly.Location, Path.Combine(folder, "Microsoft.Extensions.Logging.Abstractions.dll"));
        ListInDepsFile(folder, "FixtureDropIn.deps.json", "MediaWorker.Plugins.Abstractions", "Microsoft.Extensions.Logging.Abstractions");

        var handler = _fixture.Host.LoadAll().Tasks["dropin_echo"].Handler;

        Assert.That(handler, Is.InstanceOf<ITaskHandler>());
        var context = AssemblyLoadContext.GetLoadContext(handler.GetType().Assembly)!;
        Assert.That(context.Assemblies.Select(a => a.GetName().Name), Does.Not.Contain("MediaWorker.Plugins.Abstractions"));
    }

    [Test]
    public async Task NativePlugin_CallsItsOwnLibraryFromRuntimesLinuxX64Native()
    {
        var folder = _fixture.Copy(FixturePlugins.Native);
        Assert.That(File.Exists(Path.Combine(folder, "runtimes", "linux-x64", "native", "libfixturenative.so")));

        var output = await RunAsync(_fixture.Host.LoadAll(), "native_add", new JsonObject { ["a"] = 2, ["b"] = 40 });

        Assert.That(output["sum"]!.GetValue<int>(), Is.EqualTo(42));
        Assert.That(output["library"]!.GetValue<string>(), Is.EqualTo("libfixturenative"));
    }

    [Test]
    public async Task NativePlugin_FindsItsLibraryBesideItsAssembly()
    {
        var folder = _fixture.Copy(FixturePlugins.Native);
        File.Move(Path.Combine(folder, "runtimes", "linux-x64", "native", "libfixturenative.so"), Path.Combine(folder, "libfixturenative.so"));
        Directory.Delete(Path.Combine(folder, "runtimes"), recursive: true);

        var output = await RunAsync(_fixture.Host.LoadAll(), "native_add", new JsonObject { ["a"] = 1, ["b"] = 1 });

        Assert.That(output["sum"]!.GetValue<int>(), Is.EqualTo(2));
    }

    [Test]
    public async Task SerilogPlugin_GetsItsOwnSerilogVersion_WhileTheHostKeepsItsOwn()
    {
        _fixture.Copy(FixturePlugins.Serilog);

        var output = await RunAsync(_fixture.Host.LoadAll(), "serilog_version", []);

        Assert.That(output["serilog_version"]!.GetValue<string>(), Does.StartWith("2.10.0"));
        Assert.That(output["load_context"]!.GetValue<string>(), Is.EqualTo("plugin:FixtureSerilog"));
        Assert.That(output["logged"]!.GetValue<string>(), Is.EqualTo("hello from \"FixtureSerilog\""));
        var hostSerilog = typeof(Serilog.Log).Assembly;
        Assert.That(hostSerilog.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion, Does.StartWith("4.4.0"));
    }

    [Test]
    public void ThrowingConstructor_IsReportedWithItsMessage_AndTheOtherPluginsStillLoad()
    {
        var folder = _fixture.Copy(FixturePlugins.Throwing);
        _fixture.Copy(FixturePlugins.DropIn);

        var registry = _fixture.Host.LoadAll();

        var failure = registry.Failures.Single();
        Assert.That(failure.Directory, Is.EqualTo(folder));
        Assert.That(failure.Name, Is.EqualTo("FixtureThrowing"));
        Assert.That(failure.Reason, Does.Contain("the constructor of FixtureThrowing.ThrowingPlugin threw InvalidOperationException")
            .And.Contain("THROWING_FIXTURE_SETTING is not set"));
        Assert.That(registry.Tasks.Keys, Does.Contain("dropin_echo"));
    }

    [Test]
    public void WrongContractMajor_IsRefusedNamingBothMajors()
    {
        _fixture.Copy(FixturePlugins.WrongContract);

        var registry = _fixture.Host.LoadAll();

        var failure = registry.Failures.Single();
        Assert.That(failure.Name, Is.EqualTo("FixtureWrongContract"));
        Assert.That(failure.Reason, Does.Contain("contract major 2").And.Contain("implements major 1"));
        Assert.That(registry.Tasks.Keys, Does.Not.Contain("future_task"));
    }

    [Test]
    public void MissingDependency_IsRefusedNamingTheFile_InsteadOfBindingToTheHostsCopy()
    {
        var folder = _fixture.Copy(FixturePlugins.Serilog);
        File.Delete(Path.Combine(folder, "Serilog.dll"));

        var registry = _fixture.Host.LoadAll();

        var failure = registry.Failures.Single();
        Assert.That(failure.Reason, Does.StartWith("missing dependency:").And.Contain("Serilog.dll").And.Contain("Serilog/2.10.0"));
        Assert.That(registry.Tasks.Keys, Does.Not.Contain("serilog_version"));
    }

    [Test]
    public void DuplicateTaskType_IsRefusedNamingBothPlugins()
    {
        _fixture.Copy(FixturePlugins.DropIn, "A-First");
        var second = _fixture.Copy(FixturePlugins.DropIn, "B-Second");
        FixturePlugins.EditManifest(second, "name", "EchoCopy");

        var registry = _fixture.Host.LoadAll();

        Assert.That(registry.Tasks["dropin_echo"].PluginName, Is.EqualTo("FixtureDropIn"), "folders load in name order; the first keeps the task");
        var failure = registry.Failures.Single();
        Assert.That(failure.Directory, Is.EqualTo(second));
        Assert.That(failure.Reason, Does.Contain("task type 'dropin_echo' is already provided by plugin 'FixtureDropIn'")
            .And.Contain("plugin 'EchoCopy' was skipped"));
        Assert.That(registry.Plugins.Select(p => p.Name), Does.Not.Contain("EchoCopy"));
    }

    [Test]
    public void DuplicatePluginName_IsRefused()
    {
        _fixture.Copy(FixturePlugins.DropIn, "one");
        var second = _fixture.Copy(FixturePlugins.Native, "two");
        FixturePlugins.EditManifest(second, "name", "FixtureDropIn");

        var failure = _fixture.Host.LoadAll().Failures.Single();

        Assert.That(failure.Directory, Is.EqualTo(second));
        Assert.That(failure.Reason, Does.Contain("a plugin named 'FixtureDropIn' is already loaded from"));
    }

    [TestCase("{", "plugin.json is not valid JSON")]
    [TestCase("[]", "must hold a JSON object")]
    [TestCase("""{"version":"1.0.0","entryAssembly":"FixtureDropIn.dll","contractMajor":1}""", "'name' is missing")]
    [TestCase("""{"name":"X","entryAssembly":"FixtureDropIn.dll","contractMajor":1}""", "'version' is missing")]
    [TestCase("""{"name":"X","version":"1.0.0","contractMajor":1}""", "'entryAssembly' is missing")]
    [TestCase("""{"name":"X","version":"1.0.0","entryAssembly":"FixtureDropIn.dll"}""", "'contractMajor' is missing")]
    [TestCase("""{"name":"X","version":"1.0.0","entryAssembly":"FixtureDropIn.dll","contractMajor":"1"}""", "'contractMajor' is missing or not a whole number")]
    [TestCase("""{"name":"a b","version":"1.0.0","entryAssembly":"FixtureDropIn.dll","contractMajor":1}""", "name 'a b' is not allowed")]
    [TestCase("""{"name":"builtin","version":"1.0.0","entryAssembly":"FixtureDropIn.dll","contractMajor":1}""", "reserved for the daemon's built-in tasks")]
    [TestCase("""{"name":"X","version":"1.0.0","entryAssembly":"../FixtureDropIn.dll","contractMajor":1}""", "must be the file name of a .dll")]
    [TestCase("""{"name":"X","version":"1.0.0","entryAssembly":"Missing.dll","contractMajor":1}""", "the entry assembly 'Missing.dll' named in plugin.json is not in the folder")]
    public void BadManifest_IsReportedWithTheReason(string manifest, string expected)
    {
        var folder = _fixture.Copy(FixturePlugins.DropIn);
        File.WriteAllText(Path.Combine(folder, "plugin.json"), manifest);

        var registry = _fixture.Host.LoadAll();

        Assert.That(registry.Failures.Single().Reason, Does.Contain(expected));
        Assert.That(registry.Tasks.Keys, Is.EquivalentTo(new[] { "noop", "sleep" }));
    }

    [Test]
    public void FolderWithoutManifest_IsReported()
    {
        Directory.CreateDirectory(Path.Combine(_fixture.PluginDirectory, "Empty"));

        var failure = _fixture.Host.LoadAll().Failures.Single();

        Assert.That(failure.Name, Is.Null);
        Assert.That(failure.Reason, Does.Contain("there is no plugin.json"));
    }

    [Test]
    public void HiddenFolders_AreIgnored()
    {
        _fixture.Copy(FixturePlugins.DropIn, ".staging");

        var registry = _fixture.Host.LoadAll();

        Assert.That(registry.Failures, Is.Empty);
        Assert.That(registry.Tasks.Keys, Does.Not.Contain("dropin_echo"));
    }

    [Test]
    public void EntryAssemblyWithoutAnEntryType_IsReported()
    {
        var folder = _fixture.Copy(FixturePlugins.Serilog);
        FixturePlugins.EditManifest(folder, "entryAssembly", "Serilog.dll");

        var failure = _fixture.Host.LoadAll().Failures.Single();

        Assert.That(failure.Reason, Does.Contain("Serilog has no public, non-abstract class implementing IMediaWorkerPlugin"));
    }

    [Test]
    public void EntryAssemblyThatIsNotDotNet_IsReported()
    {
        var folder = _fixture.Copy(FixturePlugins.DropIn);
        File.WriteAllBytes(Path.Combine(folder, "FixtureDropIn.dll"), [0x7f, (byte)'E', (byte)'L', (byte)'F', 0, 0, 0, 0]);

        var failure = _fixture.Host.LoadAll().Failures.Single();

        Assert.That(failure.Reason, Does.Contain("is not a .NET assembly"));
    }

    [Test]
    public void EveryFailureAtOnce_LeavesTheWorkingPluginsLoaded()
    {
        _fixture.Copy(FixturePlugins.Throwing);
        _fixture.Copy(FixturePlugins.WrongContract);
        _fixture.Copy(FixturePlugins.Native);
        _fixture.Copy(FixturePlugins.Serilog);
        _fixture.Copy(FixturePlugins.DropIn);
        Directory.CreateDirectory(Path.Combine(_fixture.PluginDirectory, "NotAPlugin"));

        var registry = _fixture.Host.LoadAll();

        Assert.That(registry.Tasks.Keys, Is.EquivalentTo(new[] { "noop", "sleep", "native_add", "serilog_version", "dropin_echo" }));
        Assert.That(registry.Failures.Select(f => Path.GetFileName(f.Directory)), Is.EquivalentTo(new[] { "FixtureThrowing", "FixtureWrongContract", "NotAPlugin" }));
    }

    [Test]
    public void LoadAll_CannotRunTwice()
    {
        _fixture.Host.LoadAll();

        Assert.That(() => _fixture.Host.LoadAll(), Throws.InvalidOperationException);
    }

    [Test]
    public void CreateWatcher_BeforeLoadAll_Throws() =>
        Assert.That(() => _fixture.Host.CreateWatcher(), Throws.InvalidOperationException.With.Message.Contain("LoadAll"));

    [Test]
    public void CreateWatcher_Twice_Throws()
    {
        _fixture.Host.LoadAll();
        _fixture.Host.CreateWatcher();

        Assert.That(() => _fixture.Host.CreateWatcher(), Throws.InvalidOperationException.With.Message.Contain("already"));
    }

    /// <summary>Makes a deps file list assemblies as a plugin referencing them normally (copy-local) would.</summary>
    private static void ListInDepsFile(string folder, string depsFile, params string[] assemblies)
    {
        var path = Path.Combine(folder, depsFile);
        var deps = JsonNode.Parse(File.ReadAllText(path))!;
        var target = deps["targets"]![deps["runtimeTarget"]!["name"]!.GetValue<string>()]!.AsObject();
        foreach (var name in assemblies)
        {
            target[$"{name}/1.0.0"] = new JsonObject { ["runtime"] = new JsonObject { [$"{name}.dll"] = new JsonObject() } };
            deps["libraries"]![$"{name}/1.0.0"] = new JsonObject { ["type"] = "project", ["serviceable"] = false, ["sha512"] = "" };
        }

        File.WriteAllText(path, deps.ToJsonString());
    }

    private static async Task<JsonObject> RunAsync(TaskRegistry registry, string taskType, JsonObject parameters)
    {
        Assert.That(registry.Failures, Is.Empty, () => string.Join("\n", registry.Failures.Select(f => f.Reason)));
        using var root = new TempDirectory("mw-job");
        return await TestJobContext.RunAsync(registry.Tasks[taskType].Handler, new TestJobContext(root.Path, taskType, parameters));
    }
}
