using System.Text.Json;
using MediaWorker.Plugins.Abstractions;

namespace MediaWorker.Plugins;

/// <summary>
/// A plugin folder's <c>plugin.json</c> (written by build/MediaWorker.Plugin.props):
/// <c>{"name", "version", "entryAssembly", "contractMajor"}</c>.
/// </summary>
internal sealed record PluginManifest(string Name, string Version, string EntryAssembly, int ContractMajor)
{
    /// <summary>The plugin name reserved for the daemon's own diagnostic tasks.</summary>
    public const string BuiltInName = "builtin";

    /// <summary>Reads and validates the manifest of <paramref name="folder"/>, including the contract major.</summary>
    /// <exception cref="PluginLoadException">The manifest is missing, unreadable, incomplete or for another contract major.</exception>
    public static PluginManifest Read(string folder)
    {
        var path = Path.Combine(folder, PluginContract.ManifestFileName);
        if (!File.Exists(path))
        {
            throw new PluginLoadException(
                $"there is no {PluginContract.ManifestFileName}; a plugin folder holds the output of 'dotnet publish' of a project that imports build/MediaWorker.Plugin.props, which writes it");
        }

        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            root = document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new PluginLoadException($"{PluginContract.ManifestFileName} is not valid JSON: {ex.Message}", ex);
        }
        catch (IOException ex)
        {
            throw new PluginLoadException($"{PluginContract.ManifestFileName} could not be read: {ex.Message}", ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new PluginLoadException($"{PluginContract.ManifestFileName} could not be read: {ex.Message}", ex);
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new PluginLoadException($"{PluginContract.ManifestFileName} must hold a JSON object with name, version, entryAssembly and contractMajor");
        }

        var manifest = new PluginManifest(
            RequiredText(root, "name"),
            RequiredText(root, "version"),
            RequiredText(root, "entryAssembly"),
            RequiredInteger(root, "contractMajor"));
        manifest.Validate();
        return manifest;
    }

    /// <summary>Reads only the entry assembly's name, without judging the rest; null when unreadable.</summary>
    /// <remarks>Used while a dropped-in folder is still being copied, to know which file to wait for.</remarks>
    public static string? PeekEntryAssembly(string folder)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(folder, PluginContract.ManifestFileName)));
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("entryAssembly", out var entry)
                && entry.ValueKind == JsonValueKind.String
                    ? entry.GetString()
                    : null;
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private void Validate()
    {
        if (!Name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-') || Name.Length > 100)
        {
            throw new PluginLoadException($"{PluginContract.ManifestFileName}: name '{Name}' is not allowed; use letters, digits, '.', '_' and '-' (at most 100)") { PluginName = Name };
        }

        if (string.Equals(Name, BuiltInName, StringComparison.OrdinalIgnoreCase))
        {
            throw new PluginLoadException($"{PluginContract.ManifestFileName}: the name '{Name}' is reserved for the daemon's built-in tasks; set PluginName in the project") { PluginName = Name };
        }

        if (ContractMajor != PluginContract.MajorVersion)
        {
            throw new PluginLoadException(
                $"the plugin was built for contract major {ContractMajor}, but this daemon implements major {PluginContract.MajorVersion}; "
                + $"rebuild it against MediaWorker.Plugins.Abstractions {PluginContract.MajorVersion}.x or use a daemon for contract {ContractMajor}")
            { PluginName = Name };
        }

        if (Path.GetFileName(EntryAssembly) != EntryAssembly || !EntryAssembly.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
        {
            throw new PluginLoadException($"{PluginContract.ManifestFileName}: entryAssembly '{EntryAssembly}' must be the file name of a .dll in the plugin folder") { PluginName = Name };
        }
    }

    private static string RequiredText(JsonElement root, string property) =>
        root.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : throw new PluginLoadException($"{PluginContract.ManifestFileName}: '{property}' is missing or not a non-empty string");

    private static int RequiredInteger(JsonElement root, string property) =>
        root.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number)
            ? number
            : throw new PluginLoadException($"{PluginContract.ManifestFileName}: '{property}' is missing or not a whole number");
}
