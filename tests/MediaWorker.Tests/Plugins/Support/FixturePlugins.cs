using System.Reflection;
using System.Text.Json.Nodes;
using MediaWorker.Testing;

namespace MediaWorker.Tests.Plugins.Support;

/// <summary>
/// The fixture plugins under tests/Fixtures, built with the tests (same configuration). Tests copy
/// their build outputs into temporary plugin folders, as a user copies a published plugin.
/// </summary>
internal static class FixturePlugins
{
    public const string Native = "FixtureNative";
    public const string Serilog = "FixtureSerilog";
    public const string Throwing = "FixtureThrowing";
    public const string WrongContract = "FixtureWrongContract";
    public const string DropIn = "FixtureDropIn";
    public const string Faulty = "FixtureFaulty";
    public const string ExecutionLog = "FixtureExecutionLog";

    private static readonly string Configuration =
        typeof(FixturePlugins).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "Configuration").Value!;

    /// <summary>The fixture's build output folder (bin/&lt;Configuration&gt;/net10.0).</summary>
    public static string BuildOutput(string fixture)
    {
        var path = Path.Combine(RepoPaths.Root, "tests", "Fixtures", fixture, "bin", Configuration, "net10.0");
        if (!File.Exists(Path.Combine(path, "plugin.json")))
        {
            throw new InvalidOperationException($"'{path}' holds no built plugin: build tests/MediaWorker.Tests (it builds the fixtures first).");
        }

        return path;
    }

    /// <summary>Copies a fixture into <paramref name="pluginDirectory"/>/<paramref name="folderName"/> and returns the folder.</summary>
    public static string CopyInto(string pluginDirectory, string fixture, string? folderName = null)
    {
        var target = Path.Combine(pluginDirectory, folderName ?? fixture);
        CopyDirectory(BuildOutput(fixture), target);
        return target;
    }

    /// <summary>Rewrites one field of a copied plugin's manifest.</summary>
    public static void EditManifest(string pluginFolder, string field, JsonNode? value)
    {
        var path = Path.Combine(pluginFolder, "plugin.json");
        var manifest = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        manifest[field] = value;
        File.WriteAllText(path, manifest.ToJsonString());
    }

    public static void CopyDirectory(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination, overwrite: true);
        }
    }
}
