using System.Reflection;
using MediaWorker.Plugins.Abstractions;

namespace MediaWorker.Plugins;

/// <summary>Finds and constructs a plugin's entry type: its one public <see cref="IMediaWorkerPlugin"/> implementation.</summary>
internal static class PluginEntryPoint
{
    /// <exception cref="PluginLoadException">There is not exactly one usable entry type, or its constructor threw.</exception>
    public static IMediaWorkerPlugin Create(Assembly assembly)
    {
        var type = Find(assembly);
        try
        {
            return (IMediaWorkerPlugin)Activator.CreateInstance(type)!;
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            throw new PluginLoadException($"the constructor of {type.FullName} threw {PluginLoadFailures.Describe(ex.InnerException)}", ex.InnerException);
        }
    }

    private static Type Find(Assembly assembly)
    {
        Type[] exported;
        try
        {
            exported = assembly.GetExportedTypes();
        }
        catch (ReflectionTypeLoadException ex)
        {
            var first = ex.LoaderExceptions.FirstOrDefault(e => e is not null);
            throw new PluginLoadException($"the types of {assembly.GetName().Name} could not be loaded: {PluginLoadFailures.Describe(first ?? ex)}", ex);
        }

        var candidates = exported
            .Where(t => t.IsClass && !t.IsAbstract && !t.ContainsGenericParameters && typeof(IMediaWorkerPlugin).IsAssignableFrom(t))
            .ToList();
        var assemblyName = assembly.GetName().Name;
        switch (candidates.Count)
        {
            case 0:
                throw new PluginLoadException(
                    $"{assemblyName} has no public, non-abstract class implementing {nameof(IMediaWorkerPlugin)}; add one (see docs/plugin-authoring.md)");
            case > 1:
                throw new PluginLoadException(
                    $"{assemblyName} has {candidates.Count} classes implementing {nameof(IMediaWorkerPlugin)} ({string.Join(", ", candidates.Select(c => c.FullName))}); exactly one entry type is allowed");
        }

        var entry = candidates[0];
        if (entry.GetConstructor(Type.EmptyTypes) is not { IsPublic: true })
        {
            throw new PluginLoadException($"the entry type {entry.FullName} has no public parameterless constructor");
        }

        return entry;
    }
}
