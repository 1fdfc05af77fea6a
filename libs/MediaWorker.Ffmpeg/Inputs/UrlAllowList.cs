namespace MediaWorker.Ffmpeg.Inputs;

/// <summary>
/// The URL prefixes an input may start with (for the Video plugin: <c>VIDEO_ALLOWED_URL_PREFIXES</c>,
/// a comma-separated list, empty by default so no URL is allowed).
/// </summary>
/// <remarks>
/// A prefix that is only <c>scheme://host[:port]</c> matches that host and nothing that merely
/// starts with the same letters (<c>https://cdn.example.com</c> does not allow
/// <c>https://cdn.example.com.evil.net/</c> or <c>https://cdn.example.com@evil.net/</c>). A
/// prefix with a path matches as a plain prefix of the normalized URL, so end it with <c>/</c> to
/// allow one folder. URLs with <c>..</c> segments are compared after normalization.
/// </remarks>
public sealed class UrlAllowList
{
    private readonly string[] _prefixes;

    /// <summary>Creates a list from prefixes; blank entries are ignored.</summary>
    public UrlAllowList(IEnumerable<string> prefixes)
    {
        ArgumentNullException.ThrowIfNull(prefixes);
        _prefixes = [.. prefixes.Select(p => p.Trim()).Where(p => p.Length > 0)];
    }

    /// <summary>Allows no URL at all.</summary>
    public static UrlAllowList None { get; } = new([]);

    /// <summary>The prefixes, as configured.</summary>
    public IReadOnlyList<string> Prefixes => _prefixes;

    /// <summary>Parses a comma-separated setting value; <see langword="null"/> or empty allows nothing.</summary>
    public static UrlAllowList Parse(string? commaSeparated) =>
        string.IsNullOrWhiteSpace(commaSeparated) ? None : new(commaSeparated.Split(','));

    /// <summary>True when <paramref name="url"/> (already normalized) starts with one of the prefixes at a boundary.</summary>
    public bool Allows(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var normalized = url.AbsoluteUri;
        foreach (var prefix in _prefixes)
        {
            if (!normalized.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (HasPath(prefix) || normalized.Length == prefix.Length || normalized[prefix.Length] is '/' or '?' or '#')
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasPath(string prefix)
    {
        var authorityStart = prefix.IndexOf("://", StringComparison.Ordinal);
        return authorityStart >= 0 && prefix.IndexOf('/', authorityStart + 3) >= 0;
    }
}
