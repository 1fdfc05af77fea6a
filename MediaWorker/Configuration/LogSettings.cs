namespace MediaWorker.Configuration;

/// <summary>Logging: level, console format, optional rolling file.</summary>
public sealed record LogSettings
{
    /// <summary>verbose, debug, information, warning, error or fatal.</summary>
    public string Level { get; init; } = "information";
    /// <summary>text (human-readable) or json (one JSON object per line).</summary>
    public string Format { get; init; } = "text";
    /// <summary>A rolling log file (daily), or null for console only.</summary>
    public string? File { get; init; }

    internal static LogSettings Read(SettingsReader reader) => new()
    {
        Level = reader.Choice("LOG_LEVEL", "information", "verbose", "debug", "information", "warning", "error", "fatal"),
        Format = reader.Choice("LOG_FORMAT", "text", "text", "json"),
        File = reader.Optional("LOG_FILE"),
    };
}
