using MediaWorker.Plugins.Abstractions;

namespace MediaWorker.Configuration;

/// <summary>
/// Looks settings up by their variable name with the documented precedence:
/// command-line flag, then environment, then the worker.env file. Defaults live in <see cref="WorkerSettings"/>.
/// </summary>
public sealed class SettingsSource : IPluginSettings
{
    private readonly IReadOnlyDictionary<string, string> _flags;
    private readonly Func<string, string?> _environment;
    private readonly IReadOnlyDictionary<string, string> _envFile;

    public SettingsSource(
        IReadOnlyDictionary<string, string>? flags = null,
        Func<string, string?>? environment = null,
        IReadOnlyDictionary<string, string>? envFile = null)
    {
        _flags = flags ?? new Dictionary<string, string>();
        _environment = environment ?? Environment.GetEnvironmentVariable;
        _envFile = envFile ?? new Dictionary<string, string>();
    }

    /// <summary>Where the worker.env file was read from, if one was.</summary>
    public string? EnvFilePath { get; init; }

    /// <inheritdoc />
    public string? GetValue(string name)
    {
        if (_flags.TryGetValue(name, out var flag) && !string.IsNullOrWhiteSpace(flag))
        {
            return flag.Trim();
        }

        var env = _environment(name);
        if (!string.IsNullOrWhiteSpace(env))
        {
            return env.Trim();
        }

        return _envFile.TryGetValue(name, out var fromFile) && !string.IsNullOrWhiteSpace(fromFile) ? fromFile.Trim() : null;
    }

    /// <summary>
    /// The usual source: the given flags, the process environment, and <c>WORKER_ENV_FILE</c>
    /// (default <c>./worker.env</c>) when that file exists.
    /// </summary>
    public static SettingsSource FromProcess(IReadOnlyDictionary<string, string>? flags = null)
    {
        flags ??= new Dictionary<string, string>();
        var path = flags.GetValueOrDefault("WORKER_ENV_FILE")
            ?? Environment.GetEnvironmentVariable("WORKER_ENV_FILE")
            ?? Path.Combine(Environment.CurrentDirectory, "worker.env");
        var explicitFile = flags.ContainsKey("WORKER_ENV_FILE") || Environment.GetEnvironmentVariable("WORKER_ENV_FILE") is not null;
        if (!File.Exists(path))
        {
            if (explicitFile)
            {
                throw new SettingsException([$"WORKER_ENV_FILE: the file '{path}' does not exist."]);
            }

            return new SettingsSource(flags);
        }

        return new SettingsSource(flags, envFile: EnvFile.Parse(File.ReadAllLines(path), path)) { EnvFilePath = path };
    }
}
