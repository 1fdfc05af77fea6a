using System.Text;
using System.Text.Json.Nodes;
using MediaWorker.Plugins.Image.Tests.Support;
using MediaWorker.Testing;
using NUnit.Framework;

namespace MediaWorker.Plugins.Image.Tests.Daemon;

/// <summary>The published plugin in a real <c>mediaworker</c> process: jobs submitted through the CLI, results read back.</summary>
public sealed class ImageWorkerProcessTests
{
    private TempDirectory _server = null!;
    private Dictionary<string, string?> _environment = null!;
    private WorkerProcess _worker = null!;

    [OneTimeSetUp]
    public async Task StartWorker()
    {
        _server = new TempDirectory("mw-image-daemon");
        _environment = new Dictionary<string, string?>
        {
            ["CL_SERVER_DIR"] = _server.Path,
            ["DATABASE_URL"] = Path.Combine(_server.Path, "media_store.db"),
            ["PLUGIN_DIR"] = RepoPaths.PublishedPlugins,
            ["MEDIA_ALLOWED_ROOTS"] = _server.Path,
            ["BROADCAST_TYPE"] = "noop",
        };
        _worker = WorkerProcess.Start(["run", "--worker-id", $"image-test-{Environment.ProcessId}", "--concurrency", "2"], _environment);
        Assert.That(await _worker.WaitForOutputAsync("started", TimeSpan.FromSeconds(60)), Is.True, _worker.OutputText);
        Assert.That(_worker.OutputText, Does.Contain("loaded plugin Image"));
    }

    [OneTimeTearDown]
    public void StopWorker()
    {
        _worker.Dispose();
        _server.Dispose();
    }

    [Test]
    public async Task ImageResize_CompletesInTheDaemon_AndBadInputFailsOnceWithoutStoppingIt()
    {
        var photo = Path.Combine(_server.Path, "photo.jpg");
        Tool.Run(Tool.Convert, "-size", "640x480", "-seed", "3", "plasma:fractal", photo);
        var text = Path.Combine(_server.Path, "notes.jpg");
        await File.WriteAllTextAsync(text, "not a picture", Encoding.UTF8);

        var bad = await SubmitAsync(new JsonObject { ["input_path"] = text, ["width"] = 100 });
        Assert.That((string?)bad["status"], Is.EqualTo("failed"));
        Assert.That((string?)bad["error_message"], Does.Contain("plain text"));
        Assert.That((int?)bad["attempts"], Is.EqualTo(1), "a permanent failure is not retried");

        var good = await SubmitAsync(new JsonObject { ["input_path"] = photo, ["width"] = 320 });
        Assert.That((string?)good["status"], Is.EqualTo("completed"), good.ToJsonString());
        var path = (string)good["output"]!["path"]!;
        Assert.That(path, Does.StartWith(Path.Combine(_server.Path, "compute", "jobs")));
        var written = ImageInfo.Read(path);
        Assert.That((written.Format, written.Width, written.Height), Is.EqualTo(("JPEG", 320, 240)));
        Assert.That(_worker.HasExited, Is.False);
    }

    [Test]
    public void PublishedPlugin_HoldsOnlyTheLinuxX64NativeLibrary_AndItsLoadContextLoadsItFromThere()
    {
        var folder = Path.Combine(RepoPaths.PublishedPlugins, "Image");
        var native = Path.Combine(folder, "Magick.Native-Q8-x64.dll.so");

        Assert.That(File.Exists(native), Is.True, "published with -r linux-x64: the native library sits beside the plugin");
        Assert.That(Directory.Exists(Path.Combine(folder, "runtimes")), Is.False, "no musl or Windows copies");
        Assert.That(Directory.EnumerateFiles(folder, "Magick.Native*").Select(Path.GetFileName), Is.EqualTo(new[] { "Magick.Native-Q8-x64.dll.so" }));
        // The running daemon loaded the plugin (and so started ImageMagick): the library it mapped is the plugin folder's own.
        var mapped = File.ReadLines($"/proc/{_worker.Pid}/maps").Where(l => l.Contains("Magick.Native", StringComparison.Ordinal))
            .Select(l => l[l.IndexOf('/', StringComparison.Ordinal)..]).Distinct().ToList();
        Assert.That(mapped, Is.EqualTo(new[] { Path.GetFullPath(native) }));
    }

    [Test]
    public async Task HostileFiles_EachFailOnce_AndTheWorkerCarriesOn()
    {
        var svg = Path.Combine(_server.Path, "file-url.png");
        await File.WriteAllTextAsync(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\"><image xlink:href=\"file:///etc/passwd\"/></svg>");
        var photo = Path.Combine(_server.Path, "whole.jpg");
        Tool.Run(Tool.Convert, "-size", "640x480", "-seed", "5", "plasma:fractal", photo);
        var truncated = Path.Combine(_server.Path, "truncated.jpg");
        var bytes = await File.ReadAllBytesAsync(photo);
        await File.WriteAllBytesAsync(truncated, bytes[..(bytes.Length / 2)]);

        foreach (var (path, expected) in new[] { (svg, "SVG"), (truncated, "Premature end of JPEG file") })
        {
            var row = await SubmitAsync(new JsonObject { ["input_path"] = path, ["width"] = 100 });
            Assert.That((string?)row["status"], Is.EqualTo("failed"), row.ToJsonString());
            Assert.That((string?)row["error_message"], Does.Contain(expected));
            Assert.That((int?)row["attempts"], Is.EqualTo(1), "a permanent failure is not retried");
        }

        var good = await SubmitAsync(new JsonObject { ["input_path"] = photo, ["width"] = 64 });
        Assert.That((string?)good["status"], Is.EqualTo("completed"), good.ToJsonString());
        Assert.That(_worker.HasExited, Is.False);
    }

    [Test]
    public async Task SchemaViolations_AreRefusedByTheHostBeforeTheHandlerRuns()
    {
        var row = await SubmitAsync(new JsonObject { ["input_path"] = "x.jpg", ["width"] = 0, ["fit"] = "stretch" });

        Assert.That((string?)row["status"], Is.EqualTo("failed"));
        Assert.That((string?)row["error_message"], Does.Contain("width").And.Contain("fit"));
    }

    private async Task<JsonObject> SubmitAsync(JsonObject parameters)
    {
        var (_, output) = await WorkerProcess.RunAsync(["submit", "image_resize", "--params", parameters.ToJsonString(), "--wait"], _environment, TimeSpan.FromSeconds(120));
        var last = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last();
        return JsonNode.Parse(last)!.AsObject();
    }
}
