using System.Reflection;

namespace MediaWorker.Plugins;

/// <summary>Turns what a plugin threw into the short phrase a failure reason quotes.</summary>
internal static class PluginLoadFailures
{
    /// <summary><c>InvalidOperationException: the message</c>; a missing assembly names the assembly.</summary>
    public static string Describe(Exception exception)
    {
        while (exception is TargetInvocationException or TypeInitializationException && exception.InnerException is not null)
        {
            exception = exception.InnerException;
        }

        return exception switch
        {
            FileNotFoundException { FileName: { } file } => $"{nameof(FileNotFoundException)}: assembly '{file}' was not found; is it missing from the plugin folder?",
            FileLoadException { FileName: { } file } => $"{nameof(FileLoadException)}: assembly '{file}' could not be loaded: {exception.Message}",
            _ => $"{exception.GetType().Name}: {exception.Message}",
        };
    }
}
