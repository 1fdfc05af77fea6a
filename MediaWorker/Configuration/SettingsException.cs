namespace MediaWorker.Configuration;

/// <summary>One or more settings are invalid; each error names the variable and what is allowed.</summary>
public sealed class SettingsException : Exception
{
    public SettingsException(IReadOnlyList<string> errors)
        : base(string.Join(" ", errors))
    {
        Errors = errors;
    }

    public SettingsException()
        : this(["The settings are invalid."])
    {
    }

    public SettingsException(string message)
        : this([message])
    {
    }

    public SettingsException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [message];
    }

    public IReadOnlyList<string> Errors { get; }
}
