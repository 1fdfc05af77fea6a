using System.Text.RegularExpressions;

namespace MediaWorker.Ffmpeg.Diagnostics;

/// <summary>
/// Turns the last lines ffmpeg or ffprobe wrote to standard error into one line a person can act
/// on: context prefixes such as <c>[mov,mp4,m4a,3gp,3g2,mj2 @ 0x55d1…]</c> removed, boilerplate
/// ("Conversion failed!") dropped, repeats folded, and well-known causes explained.
/// </summary>
public static partial class FfmpegErrorCondenser
{
    private const int MaxLength = 400;

    private static readonly Explanation[] Explanations =
    [
        new(MoovMissing(), _ => "moov atom not found: the MP4 is truncated or incomplete", Specific: true),
        new(UnknownEncoder(), m => $"unknown encoder '{m.Groups[1].Value}': this ffmpeg has no such codec (ffmpeg -encoders lists them)", Specific: true),
        new(UnknownDecoder(), m => $"unknown decoder '{m.Groups[1].Value}': this ffmpeg has no such codec (ffmpeg -decoders lists them)", Specific: true),
        new(NotOnWhitelist(), m => $"protocol '{m.Groups[1].Value}' is not allowed for this input (allowed: {m.Groups[2].Value}): a local file may not make ffmpeg open other protocols", Specific: true),
        new(FormatNotOnWhitelist(), _ => "the input is in a format that is not allowed here: the input changed since its format was checked, or a playlist or list names a file of a kind it may not contain", Specific: true),
        new(MapMatchesNothing(), m => $"the input has no stream matching '{m.Groups[1].Value}' (for example no video or no audio stream)", Specific: true),
        new(NoStreamInOutput(), _ => "the output would contain no stream: the input has none of the requested kind", Specific: true),
        new(InvalidData(), m => $"{m.Groups[1].Value}: invalid data found when processing input: it is not a media file ffmpeg can read, or it is corrupt", Specific: false),
    ];

    private static readonly string[] Boilerplate =
    [
        "Conversion failed",
        "To ignore this, add a trailing '?' to the map",
        "Exiting normally",
        "Error splitting the argument list",
    ];

    /// <summary>Condenses standard error into one line.</summary>
    /// <param name="standardErrorTail">The last lines of standard error, oldest first.</param>
    /// <param name="program">The program's name, used when it printed nothing useful.</param>
    /// <param name="exitCode">The exit code, used when it printed nothing useful.</param>
    /// <returns>One line, at most 400 characters, never empty.</returns>
    public static string Condense(IEnumerable<string> standardErrorTail, string program = "ffmpeg", int? exitCode = null)
    {
        ArgumentNullException.ThrowIfNull(standardErrorTail);
        var lines = new List<(string Text, bool Specific, bool Explained)>();
        foreach (var raw in standardErrorTail)
        {
            var line = Clean(raw);
            if (line.Length == 0 || Boilerplate.Any(b => line.StartsWith(b, StringComparison.Ordinal)))
            {
                continue;
            }

            var explained = Explain(line);
            var text = explained?.Text ?? line;
            if (!lines.Any(l => string.Equals(l.Text, text, StringComparison.Ordinal)))
            {
                lines.Add((text, explained?.Specific ?? false, explained is not null));
            }
        }

        // A specific cause (moov atom missing) makes the generic "invalid data" that follows it noise.
        if (lines.Any(l => l.Specific))
        {
            lines.RemoveAll(l => l.Explained && !l.Specific);
        }

        var ordered = lines.Where(l => l.Explained).Concat(lines.Where(l => !l.Explained)).Select(l => l.Text).ToList();
        if (ordered.Count == 0)
        {
            return exitCode is { } code
                ? $"{program} failed with exit code {code} and printed no reason."
                : $"{program} failed and printed no reason.";
        }

        var condensed = string.Join("; ", ordered);
        return condensed.Length <= MaxLength ? condensed : condensed[..(MaxLength - 1)] + "…";
    }

    private static string Clean(string raw)
    {
        var line = ContextPrefix().Replace(raw.Trim(), string.Empty).Trim();

        // ffmpeg echoes inputs as it opened them; the "file:" prefix we add for safety is noise to a reader.
        line = FilePrefix().Replace(line, string.Empty);
        return line.TrimEnd('.', '!', ' ');
    }

    private static (string Text, bool Specific)? Explain(string line)
    {
        foreach (var explanation in Explanations)
        {
            var match = explanation.Pattern.Match(line);
            if (match.Success)
            {
                return (explanation.Rewrite(match), explanation.Specific);
            }
        }

        return null;
    }

    /// <summary>Context prefixes (<c>[tcp @ 0x55d1…]</c>) and the level tags of <c>-loglevel level+…</c> (<c>[error]</c>).</summary>
    [GeneratedRegex(@"^((\[[^\]]+ @ (0x)?[0-9a-fA-F]+\]|\[(panic|fatal|error|warning|info|verbose|debug|trace)\])\s*)+")]
    private static partial Regex ContextPrefix();

    [GeneratedRegex(@"(?<=^|\s|')file:(?=/|\.|[^/\s]+)")]
    private static partial Regex FilePrefix();

    [GeneratedRegex("Format not on whitelist")]
    private static partial Regex FormatNotOnWhitelist();

    [GeneratedRegex("moov atom not found", RegexOptions.IgnoreCase)]
    private static partial Regex MoovMissing();

    [GeneratedRegex("Unknown encoder '([^']*)'")]
    private static partial Regex UnknownEncoder();

    [GeneratedRegex("Unknown decoder '([^']*)'")]
    private static partial Regex UnknownDecoder();

    [GeneratedRegex("Protocol '([^']*)' not on whitelist '([^']*)'")]
    private static partial Regex NotOnWhitelist();

    [GeneratedRegex("Stream map '([^']*)' matches no streams")]
    private static partial Regex MapMatchesNothing();

    [GeneratedRegex("does not contain any stream")]
    private static partial Regex NoStreamInOutput();

    [GeneratedRegex("^(.*): Invalid data found when processing input")]
    private static partial Regex InvalidData();

    private sealed record Explanation(Regex Pattern, Func<Match, string> Rewrite, bool Specific);
}
