namespace MediaWorker.Plugins.Gemini.Api;

/// <summary>
/// Removes configured secrets from text that came from a server or a URL before it reaches an
/// exception, a log line or a job's output. Keys are only ever sent in headers, but a server's
/// error message (or a proxy's) may still echo one back.
/// </summary>
internal sealed class SecretRedactor(IEnumerable<string> secrets)
{
    public const string Placeholder = "[redacted]";

    // Very short values would blank out ordinary words; real keys are long.
    private readonly string[] _secrets = secrets.Where(s => s.Length >= 6).Distinct().ToArray();

    public string Redact(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        foreach (var secret in _secrets)
        {
            text = text.Replace(secret, Placeholder, StringComparison.Ordinal);
        }

        return text;
    }
}
