using System.Text.RegularExpressions;

namespace MediaWorker.Ffmpeg.Inputs.References;

/// <summary>
/// Turns a reference inside a playlist or list into the absolute path ffmpeg would open, the way
/// ffmpeg joins it with the file it appears in: relative to that file's folder, <c>..</c> folded
/// away lexically, <c>file:</c> stripped. Anything with another protocol is refused: with the
/// <c>file</c> protocol whitelist ffmpeg could not open it anyway, but the refusal should say why.
/// </summary>
internal static partial class ReferenceResolver
{
    /// <summary>The absolute path <paramref name="reference"/> names, or throws naming why it cannot be a local file.</summary>
    /// <param name="container">The file the reference appears in (absolute).</param>
    /// <param name="reference">The reference as written.</param>
    /// <param name="refuse">Builds the exception for a refused reference from the rule it broke.</param>
    public static string Resolve(string container, string reference, Func<string, Exception> refuse)
    {
        if (reference.StartsWith("subfile,", StringComparison.Ordinal))
        {
            // ffmpeg's one protocol with options before the colon: subfile,,start,0,end,0,,:path.
            throw refuse("it uses the 'subfile' protocol, and a local file may only refer to other local files");
        }

        var scheme = Scheme().Match(reference);
        var path = reference;
        if (scheme.Success)
        {
            if (scheme.Groups[1].Value != "file")
            {
                throw refuse($"it uses the '{scheme.Groups[1].Value}' protocol, and a local file may only refer to other local files");
            }

            path = reference[(scheme.Length)..];
            if (!path.StartsWith('/'))
            {
                throw refuse("a file: reference without an absolute path would be read relative to the worker's current folder");
            }
        }

        if (path.StartsWith('/'))
        {
            // file:///a and //a are both /a to the file protocol.
            return Path.GetFullPath("/" + path.TrimStart('/'));
        }

        return Path.GetFullPath(Path.Combine(Path.GetDirectoryName(container)!, path));
    }

    // ffmpeg reads "name:" as a protocol when name is a URL scheme (letters first) and ':' comes before any '/'.
    [GeneratedRegex("^([A-Za-z][A-Za-z0-9+.-]*):")]
    private static partial Regex Scheme();
}
