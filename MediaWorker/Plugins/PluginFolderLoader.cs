using System.Reflection;
using MediaWorker.Plugins.Abstractions;
using Microsoft.Extensions.Logging;

namespace MediaWorker.Plugins;

/// <summary>
/// Loads one plugin folder: manifest, dependency check, load context, entry type, handlers and their
/// descriptors. Whatever goes wrong becomes a failure with a reason; nothing escapes.
/// </summary>
internal sealed class PluginFolderLoader(IPluginSettings settings, ILoggerFactory loggerFactory, int workerConcurrency, TimeProvider time)
{
    public PluginFolderResult Load(string folder)
    {
        string? name = null;
        try
        {
            var manifest = PluginManifest.Read(folder);
            name = manifest.Name;
            var entryPath = Path.Combine(folder, manifest.EntryAssembly);
            if (!File.Exists(entryPath))
            {
                throw new PluginLoadException($"the entry assembly '{manifest.EntryAssembly}' named in {PluginContract.ManifestFileName} is not in the folder");
            }

            PluginDependencyCheck.EnsureComplete(folder, manifest.EntryAssembly);
            var context = new PluginLoadContext(manifest.Name, folder, entryPath);
            var plugin = PluginEntryPoint.Create(LoadEntryAssembly(context, entryPath));
            var handlers = CreateHandlers(plugin, folder);
            return new(new PluginHandlers(manifest.Name, manifest.Version, folder, handlers), null, null);
        }
        catch (PluginLoadException ex)
        {
            return new(null, new PluginLoadFailure(folder, ex.PluginName ?? name, ex.Message), ex.InnerException);
        }
        catch (Exception ex)
        {
            // Anything else (a deps file the resolver rejects, a type that fails to load lazily, ...)
            // still only costs this one plugin.
            return new(null, new PluginLoadFailure(folder, name, $"loading failed with {PluginLoadFailures.Describe(ex)}"), ex);
        }
    }

    private static Assembly LoadEntryAssembly(PluginLoadContext context, string entryPath)
    {
        try
        {
            return context.LoadFromAssemblyPath(entryPath);
        }
        catch (BadImageFormatException ex)
        {
            throw new PluginLoadException($"'{Path.GetFileName(entryPath)}' is not a .NET assembly this runtime can load: {ex.Message}", ex);
        }
    }

    private List<ITaskHandler> CreateHandlers(IMediaWorkerPlugin plugin, string folder)
    {
        var entryType = plugin.GetType().FullName;
        List<ITaskHandler> handlers;
        try
        {
            // Materialised here: an iterator method runs its body only when enumerated.
            handlers = plugin.CreateHandlers(new PluginContext(folder, settings, loggerFactory, workerConcurrency) { Time = time })?.ToList()
                ?? throw new PluginLoadException($"{entryType}.CreateHandlers returned null instead of a list of handlers");
        }
        catch (PluginLoadException)
        {
            throw;
        }
        catch (Exception ex)
        {
            throw new PluginLoadException($"{entryType}.CreateHandlers threw {PluginLoadFailures.Describe(ex)}", ex);
        }

        var byTaskType = new Dictionary<string, ITaskHandler>(StringComparer.Ordinal);
        var checkedHandlers = new List<ITaskHandler>(handlers.Count);
        foreach (var handler in handlers)
        {
            var descriptor = ReadDescriptor(handler, entryType);
            var problems = TaskDescriptorCheck.Check(descriptor);
            if (problems.Count > 0)
            {
                throw new PluginLoadException($"task '{descriptor.TaskType}' ({handler.GetType().FullName}) has an invalid descriptor: {string.Join("; ", problems)}");
            }

            if (!byTaskType.TryAdd(descriptor.TaskType, handler))
            {
                throw new PluginLoadException(
                    $"task type '{descriptor.TaskType}' is declared twice, by {byTaskType[descriptor.TaskType].GetType().FullName} and {handler.GetType().FullName}");
            }

            checkedHandlers.Add(handler);
        }

        return checkedHandlers;
    }

    private static TaskDescriptor ReadDescriptor(ITaskHandler? handler, string? entryType)
    {
        if (handler is null)
        {
            throw new PluginLoadException($"{entryType}.CreateHandlers returned a null handler");
        }

        try
        {
            return handler.Descriptor ?? throw new PluginLoadException($"{handler.GetType().FullName}.Descriptor is null");
        }
        catch (PluginLoadException)
        {
            throw;
        }
        catch (Exception ex)
        {
            throw new PluginLoadException($"{handler.GetType().FullName}.Descriptor threw {PluginLoadFailures.Describe(ex)}", ex);
        }
    }
}
