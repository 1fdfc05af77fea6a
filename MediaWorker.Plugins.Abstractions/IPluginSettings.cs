namespace MediaWorker.Plugins.Abstractions;

/// <summary>
/// Read access to the daemon's configuration, resolved with the daemon's precedence:
/// environment variable, then the <c>worker.env</c> file.
/// </summary>
public interface IPluginSettings
{
    /// <summary>Returns the value of a setting, or <see langword="null"/> when it is unset or empty.</summary>
    /// <param name="name">The variable name, for example <c>GEMINI_API_KEY</c>.</param>
    string? GetValue(string name);
}
