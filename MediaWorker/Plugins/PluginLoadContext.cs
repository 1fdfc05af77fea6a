using System.Reflection;
using System.Runtime.Loader;

namespace MediaWorker.Plugins;

/// <summary>
/// The assembly load context of one plugin folder: the plugin's own dependencies (managed and
/// native) come from its folder, the shared contract assemblies always from the daemon.
/// </summary>
/// <remarks>
/// <para>Not collectible, on purpose: the runtime refuses delegate marshalling and
/// <c>UnmanagedCallersOnly</c> callbacks in collectible contexts, which native bindings (whisper's
/// progress callback, ImageMagick's) rely on. A plugin therefore stays loaded until the process exits.</para>
/// <para>Anything the resolver does not know (the framework, a system library such as
/// libgomp) falls through to the default context and the system's own search.</para>
/// </remarks>
internal sealed class PluginLoadContext : AssemblyLoadContext
{
    /// <summary>
    /// Assemblies whose types cross the boundary between host and plugin. Loading a plugin's own copy
    /// would make its <c>ITaskHandler</c> a different type from the host's, so they are never loaded here.
    /// </summary>
    private static readonly HashSet<string> SharedAssemblies = new(StringComparer.OrdinalIgnoreCase)
    {
        "MediaWorker.Plugins.Abstractions",
        "Microsoft.Extensions.Logging.Abstractions",
    };

    private readonly AssemblyDependencyResolver _resolver;
    private readonly IReadOnlyList<string> _nativeDirectories;

    public PluginLoadContext(string pluginName, string folder, string entryAssemblyPath)
        : base($"plugin:{pluginName}", isCollectible: false)
    {
        _resolver = new AssemblyDependencyResolver(entryAssemblyPath);
        _nativeDirectories = PluginDependencyCheck.PlatformRids()
            .Select(rid => Path.Combine(folder, "runtimes", rid, "native"))
            .Append(folder)
            .ToList();
    }

    public static bool IsSharedAssembly(string assemblyName) => SharedAssemblies.Contains(assemblyName);

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (assemblyName.Name is null || IsSharedAssembly(assemblyName.Name))
        {
            return null;
        }

        var path = _resolver.ResolveAssemblyToPath(assemblyName);
        return path is null ? null : LoadFromAssemblyPath(path);
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        var path = _resolver.ResolveUnmanagedDllToPath(unmanagedDllName) ?? ProbeNative(unmanagedDllName);
        return path is null ? IntPtr.Zero : LoadUnmanagedDllFromPath(path);
    }

    /// <summary>
    /// Finds a native library that the deps file does not list (a plugin that builds its own .so):
    /// in runtimes/&lt;rid&gt;/native/ and beside the assemblies, trying the usual Linux spellings
    /// of the name that [LibraryImport] gives (<c>foo</c> → <c>libfoo.so</c>).
    /// </summary>
    private string? ProbeNative(string name)
    {
        if (Path.IsPathRooted(name))
        {
            return null;
        }

        return _nativeDirectories
            .SelectMany(directory => NameVariants(name).Select(variant => Path.Combine(directory, variant)))
            .FirstOrDefault(File.Exists);
    }

    private static IEnumerable<string> NameVariants(string name)
    {
        yield return name;
        var hasSuffix = name.EndsWith(".so", StringComparison.Ordinal) || name.Contains(".so.", StringComparison.Ordinal);
        var hasPrefix = name.StartsWith("lib", StringComparison.Ordinal);
        if (!hasSuffix)
        {
            yield return name + ".so";
            if (!hasPrefix)
            {
                yield return "lib" + name + ".so";
            }
        }
        else if (!hasPrefix)
        {
            yield return "lib" + name;
        }
    }
}
