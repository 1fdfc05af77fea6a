// ImageBench <input> <format> <box> <iterations> <workdir>
// Resizes <input> into a <box>x<box> box as <format> through the image plugin's image_resize handler,
// <iterations> times after 3 warm-up runs, and prints one line of figures (milliseconds, MiB).
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using ImageBench;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.Image;
using Microsoft.Extensions.Logging.Abstractions;

var (input, format, box, iterations, workdir) = (args[0], args[1], int.Parse(args[2], CultureInfo.InvariantCulture), int.Parse(args[3], CultureInfo.InvariantCulture), args[4]);
Directory.CreateDirectory(workdir);
var handler = new ImagePlugin()
    .CreateHandlers(new PluginContext(workdir, new NoSettings(), NullLoggerFactory.Instance, workerConcurrency: 2))
    .Single(h => h.Descriptor.TaskType == "image_resize");

async Task<(double Ms, JsonObject Output)> OnceAsync()
{
    var context = new BenchJobContext(workdir, new JsonObject { ["input_path"] = input, ["width"] = box, ["height"] = box, ["format"] = format, ["quality"] = 85 });
    var watch = Stopwatch.StartNew();
    var output = await handler.ExecuteAsync(context, CancellationToken.None);
    var ms = watch.Elapsed.TotalMilliseconds;
    context.DeleteJobFolder();
    return (ms, output);
}

// The baseline is the process with the runtime and the plugin loaded, before any image: the peak above
// it is what the image path (decode, resize, encode, plus its JIT code) needed.
var baseline = ProcStatus("VmRSS");
for (var i = 0; i < 3; i++)
{
    await OnceAsync();
}

var times = new List<double>();
JsonObject last = [];
for (var i = 0; i < iterations; i++)
{
    (var ms, last) = await OnceAsync();
    times.Add(ms);
}

times.Sort();
var median = times[times.Count / 2];
var p90 = times[(int)Math.Min(times.Count - 1, Math.Ceiling(times.Count * 0.9) - 1)];
var peak = ProcStatus("VmHWM");
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"inprocess format={format} result={last["width"]}x{last["height"]} n={iterations} median_ms={median:0.0} p90_ms={p90:0.0} min_ms={times[0]:0.0} rss_before_mib={baseline / 1024.0:0.0} peak_rss_mib={peak / 1024.0:0.0} peak_over_baseline_mib={(peak - baseline) / 1024.0:0.0}"));

static long ProcStatus(string field) =>
    long.Parse(File.ReadLines("/proc/self/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);

internal sealed class NoSettings : IPluginSettings
{
    public string? GetValue(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? v : null;
}
