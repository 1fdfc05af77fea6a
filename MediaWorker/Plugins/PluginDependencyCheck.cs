using System.Runtime.InteropServices;
using System.Text.Json;

namespace MediaWorker.Plugins;

/// <summary>
/// Checks, before any plugin code runs, that every assembly and native library the plugin's
/// <c>.deps.json</c> lists for this platform is present in its folder.
/// </summary>
/// <remarks>
/// Without this check a missing <c>Serilog.dll</c> would not fail at load: the resolver returns
/// nothing, the load falls back to the daemon's own (newer) Serilog, and the plugin runs against a
/// version it was not built for, or fails much later inside a job.
/// </remarks>
internal static class PluginDependencyCheck
{
    /// <exception cref="PluginLoadException">A listed file is missing, or the deps file is unreadable.</exception>
    public static void EnsureComplete(string folder, string entryAssembly)
    {
        var depsFile = Path.Combine(folder, Path.ChangeExtension(entryAssembly, ".deps.json"));
        if (!File.Exists(depsFile))
        {
            // Allowed: the resolver then probes the folder itself, like a hand-assembled plugin expects.
            return;
        }

        List<(string Library, string Asset)> missing;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(depsFile));
            missing = ListedAssets(document.RootElement).Where(a => !IsPresent(folder, a.Asset)).ToList();
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException or InvalidOperationException or KeyNotFoundException)
        {
            throw new PluginLoadException($"{Path.GetFileName(depsFile)} could not be read: {ex.Message}", ex);
        }

        if (missing.Count > 0)
        {
            var list = string.Join(", ", missing.Select(m => $"{m.Asset} (from {m.Library})"));
            throw new PluginLoadException(
                $"missing dependency: {list} listed in {Path.GetFileName(depsFile)} is not in the plugin folder; copy the complete output of 'dotnet publish'");
        }
    }

    /// <summary>The runtime assets (managed, and native for this platform) of every library in the deps file.</summary>
    private static IEnumerable<(string Library, string Asset)> ListedAssets(JsonElement root)
    {
        var targetName = root.GetProperty("runtimeTarget").GetProperty("name").GetString()!;
        if (!root.GetProperty("targets").TryGetProperty(targetName, out var target))
        {
            yield break;
        }

        var rids = PlatformRids();
        foreach (var library in target.EnumerateObject())
        {
            if (library.Value.TryGetProperty("runtime", out var runtime))
            {
                foreach (var asset in runtime.EnumerateObject().Where(a => !PluginLoadContext.IsSharedAssembly(Path.GetFileNameWithoutExtension(a.Name))))
                {
                    // Shown by file name: a managed asset is copied to the folder root.
                    yield return (library.Name, Path.GetFileName(asset.Name));
                }
            }

            if (library.Value.TryGetProperty("native", out var native))
            {
                foreach (var asset in native.EnumerateObject())
                {
                    yield return (library.Name, asset.Name);
                }
            }

            if (library.Value.TryGetProperty("runtimeTargets", out var runtimeTargets))
            {
                foreach (var asset in runtimeTargets.EnumerateObject()
                    .Where(a => a.Value.TryGetProperty("rid", out var rid) && rids.Contains(rid.GetString()!)
                        && a.Value.TryGetProperty("assetType", out var type) && type.GetString() == "native"))
                {
                    yield return (library.Name, asset.Name);
                }
            }
        }
    }

    // A publish copies a package's "lib/net8.0/X.dll" to the folder root, but keeps
    // "runtimes/<rid>/native/libx.so" as it is; a plain build does the same.
    private static bool IsPresent(string folder, string asset) =>
        File.Exists(Path.Combine(folder, asset)) || File.Exists(Path.Combine(folder, Path.GetFileName(asset)));

    /// <summary>The runtime identifiers whose native assets this process would load (most specific first).</summary>
    internal static IReadOnlyList<string> PlatformRids()
    {
        var arch = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        return new[] { RuntimeInformation.RuntimeIdentifier, $"linux-{arch}" }.Distinct(StringComparer.Ordinal).ToList();
    }
}
