using System.Text;

namespace MediaWorker.Ffmpeg.Inputs.References;

/// <summary>
/// The files an ffconcat list names: the argument of every <c>file</c> directive, unquoted the way
/// ffmpeg's <c>av_get_token</c> does it ('single quotes' literal, backslash escapes the next character).
/// </summary>
internal static class ConcatListReferences
{
    /// <summary>The header ffmpeg's concat demuxer recognises a list by.</summary>
    public const string Signature = "ffconcat version 1.0";

    public static IEnumerable<string> Read(IEnumerable<string> lines)
    {
        foreach (var raw in lines)
        {
            var line = raw.TrimStart();
            if (line.StartsWith("file", StringComparison.Ordinal) && line.Length > 4 && char.IsWhiteSpace(line[4]))
            {
                yield return Unquote(line[5..].Trim());
            }
        }
    }

    private static string Unquote(string token)
    {
        var result = new StringBuilder(token.Length);
        var quoted = false;
        for (var i = 0; i < token.Length; i++)
        {
            var c = token[i];
            if (c == '\'')
            {
                quoted = !quoted;
            }
            else if (c == '\\' && !quoted && i + 1 < token.Length)
            {
                result.Append(token[++i]);
            }
            else
            {
                result.Append(c);
            }
        }

        return result.ToString();
    }
}
