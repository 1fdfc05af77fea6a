namespace MediaWorker.Webhooks;

/// <summary>
/// WEBHOOK_ALLOWED_URL_PREFIXES: a LAN box posts to private addresses, so the rule is an explicit
/// list of URL prefixes rather than an address filter. An empty list allows nothing.
/// </summary>
public sealed class UrlAllowList(IReadOnlyList<string> prefixes)
{
    public IReadOnlyList<string> Prefixes => prefixes;

    /// <summary>Throws <see cref="ArgumentException"/> with what to change when <paramref name="url"/> may not be called.</summary>
    public Uri Check(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException($"'{url}' is not an absolute http:// or https:// URL.");
        }

        // Compared on the normalised form, so 'HTTP://Host:80/x' cannot slip past 'http://host/x' or the other way round.
        var normal = uri.AbsoluteUri;
        if (!prefixes.Any(p => Uri.TryCreate(p, UriKind.Absolute, out var prefix) && normal.StartsWith(prefix.AbsoluteUri, StringComparison.Ordinal)))
        {
            throw new ArgumentException(prefixes.Count == 0
                ? $"'{url}' is refused: WEBHOOK_ALLOWED_URL_PREFIXES is empty, so no webhook URL is allowed; add a prefix such as {uri.GetLeftPart(UriPartial.Authority)}/."
                : $"'{url}' is refused: it starts with none of WEBHOOK_ALLOWED_URL_PREFIXES ({string.Join(", ", prefixes)}).");
        }

        return uri;
    }
}
