namespace MediaWorker.Ffmpeg.Inputs;

/// <summary>
/// Something ffmpeg or ffprobe reads, with the input arguments that keep it in its lane: a local
/// file is opened with <c>-protocol_whitelist file</c> (so a crafted playlist or concat list
/// can name only files, never the network, <c>concat:</c> or <c>subfile</c>), and a URL only when
/// an allow-list permits it, with the network protocols of its scheme and never <c>file</c> (so a
/// remote playlist cannot read local files). A job's local input should come from
/// <see cref="LocalInputGuard"/>, which also pins the demuxer and checks what a playlist names.
/// </summary>
public sealed class MediaInput
{
    private static readonly Dictionary<string, string> UrlProtocols = new(StringComparer.OrdinalIgnoreCase)
    {
        ["http"] = "http,https,tcp,tls,crypto,httpproxy",
        ["https"] = "http,https,tcp,tls,crypto,httpproxy",
        ["rtmp"] = "rtmp,rtmps,tcp,tls",
        ["rtmps"] = "rtmp,rtmps,tcp,tls",
        ["rtsp"] = "rtsp,rtsps,rtp,srtp,udp,tcp,tls",
        ["rtsps"] = "rtsp,rtsps,rtp,srtp,udp,tcp,tls",
        ["srt"] = "srt,udp",
    };

    private static readonly System.Buffers.SearchValues<char> SchemeCharacters =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-");

    private readonly string[] _pinning;

    private MediaInput(string location, string displayName, string protocolWhitelist, bool isUrl, string? demuxer = null, string[]? pinning = null)
    {
        Location = location;
        DisplayName = displayName;
        ProtocolWhitelist = protocolWhitelist;
        IsUrl = isUrl;
        Demuxer = demuxer;
        _pinning = pinning ?? [];
    }

    /// <summary>The demuxer <see cref="LocalInputGuard"/> identified and pinned (e.g. <c>mov,mp4,m4a,3gp,3g2,mj2</c>), or <see langword="null"/>.</summary>
    public string? Demuxer { get; }

    /// <summary>What ffmpeg opens: <c>file:/abs/path</c> (so a name containing ':' is never read as a protocol) or the URL.</summary>
    public string Location { get; }

    /// <summary>The path or URL as a person would recognise it, for messages.</summary>
    public string DisplayName { get; }

    /// <summary>The protocols ffmpeg may use while reading this input.</summary>
    public string ProtocolWhitelist { get; }

    /// <summary>True for a network input.</summary>
    public bool IsUrl { get; }

    /// <summary>The URL schemes a URL input may have.</summary>
    public static IReadOnlyCollection<string> UrlSchemes => UrlProtocols.Keys;

    /// <summary>A local file. Resolve the path through the job's sandbox first; this only makes it absolute.</summary>
    /// <param name="path">The file's path.</param>
    public static MediaInput FromFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        return new MediaInput("file:" + full, full, "file", isUrl: false);
    }

    /// <summary>A network input, if <paramref name="allowList"/> permits it.</summary>
    /// <param name="url">An http, https, rtmp(s), rtsp(s) or srt URL; HLS and DASH are http(s) URLs of a playlist or manifest.</param>
    /// <param name="allowList">The prefixes the URL must start with.</param>
    /// <exception cref="InputNotAllowedException">The URL is malformed, has another scheme, or is not on the list.</exception>
    public static MediaInput FromUrl(string url, UrlAllowList allowList)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(url);
        ArgumentNullException.ThrowIfNull(allowList);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || !UrlProtocols.TryGetValue(uri.Scheme, out var protocols))
        {
            throw new InputNotAllowedException(
                $"'{url}' is not a supported URL: only {string.Join(", ", UrlProtocols.Keys)} URLs can be read.");
        }

        if (!allowList.Allows(uri))
        {
            var configured = allowList.Prefixes.Count == 0 ? "none are allowed" : "allowed: " + string.Join(", ", allowList.Prefixes);
            throw new InputNotAllowedException(
                $"The URL '{url}' is not allowed ({configured}); add its prefix to VIDEO_ALLOWED_URL_PREFIXES to read it.");
        }

        return new MediaInput(uri.AbsoluteUri, url, protocols, isUrl: true);
    }

    /// <summary>True when <paramref name="value"/> looks like <c>scheme://...</c> rather than a path.</summary>
    public static bool LooksLikeUrl(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var separator = value.IndexOf("://", StringComparison.Ordinal);
        return separator > 0 && value.AsSpan(0, separator).IndexOfAnyExcept(SchemeCharacters) < 0;
    }

    /// <summary>
    /// The arguments that open this input: <c>-protocol_whitelist &lt;list&gt; [options] -i &lt;location&gt;</c>.
    /// </summary>
    /// <param name="inputOptions">Options that apply to this input, such as <c>-ss 5</c> or <c>-skip_frame nokey</c>.</param>
    public IReadOnlyList<string> Arguments(params string[] inputOptions) =>
        ["-protocol_whitelist", ProtocolWhitelist, .. _pinning, .. inputOptions, "-i", Location];

    /// <summary>This input with its demuxer pinned by <paramref name="pinning"/> (input options such as <c>-format_whitelist</c>).</summary>
    internal MediaInput Pinned(string demuxer, string[] pinning) => new(Location, DisplayName, ProtocolWhitelist, IsUrl, demuxer, pinning);

    /// <inheritdoc />
    public override string ToString() => DisplayName;
}
