namespace MediaWorker.Plugins.Gemini.Media;

/// <summary>What an input file is, judged by its extension.</summary>
internal enum InputKind
{
    Video,
    Audio,
    Transcript,
    Text,
    Unknown,
}

/// <summary>MIME types of the formats the Gemini File API accepts, by file extension.</summary>
internal static class MediaTypes
{
    private static readonly Dictionary<string, (string Mime, InputKind Kind)> ByExtension = new(StringComparer.OrdinalIgnoreCase)
    {
        [".mp4"] = ("video/mp4", InputKind.Video),
        [".m4v"] = ("video/mp4", InputKind.Video),
        [".mov"] = ("video/quicktime", InputKind.Video),
        [".mpeg"] = ("video/mpeg", InputKind.Video),
        [".mpg"] = ("video/mpeg", InputKind.Video),
        [".avi"] = ("video/x-msvideo", InputKind.Video),
        [".wmv"] = ("video/x-ms-wmv", InputKind.Video),
        [".flv"] = ("video/x-flv", InputKind.Video),
        [".webm"] = ("video/webm", InputKind.Video),
        [".mkv"] = ("video/x-matroska", InputKind.Video),
        [".3gp"] = ("video/3gpp", InputKind.Video),
        [".wav"] = ("audio/wav", InputKind.Audio),
        [".mp3"] = ("audio/mp3", InputKind.Audio),
        [".aac"] = ("audio/aac", InputKind.Audio),
        [".m4a"] = ("audio/mp4", InputKind.Audio),
        [".ogg"] = ("audio/ogg", InputKind.Audio),
        [".oga"] = ("audio/ogg", InputKind.Audio),
        [".opus"] = ("audio/ogg", InputKind.Audio),
        [".flac"] = ("audio/flac", InputKind.Audio),
        [".aiff"] = ("audio/aiff", InputKind.Audio),
        [".json"] = ("application/json", InputKind.Transcript),
        [".txt"] = ("text/plain", InputKind.Text),
        [".md"] = ("text/plain", InputKind.Text),
        [".srt"] = ("text/plain", InputKind.Text),
        [".vtt"] = ("text/plain", InputKind.Text),
    };

    public static InputKind KindOf(string path) => ByExtension.TryGetValue(Path.GetExtension(path), out var entry) ? entry.Kind : InputKind.Unknown;

    public static string MimeOf(string path) => ByExtension.TryGetValue(Path.GetExtension(path), out var entry) ? entry.Mime : "application/octet-stream";

    /// <summary>The extensions accepted for a kind, for error messages.</summary>
    public static string ExtensionsOf(InputKind kind) => string.Join(", ", ByExtension.Where(e => e.Value.Kind == kind).Select(e => e.Key));
}
