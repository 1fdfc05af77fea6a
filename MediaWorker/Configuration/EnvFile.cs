namespace MediaWorker.Configuration;

/// <summary>Parses worker.env files: <c>NAME=value</c> lines, <c>#</c> comments, optional quotes and <c>export</c>.</summary>
public static class EnvFile
{
    public static IReadOnlyDictionary<string, string> Parse(IEnumerable<string> lines, string path)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var number = 0;
        foreach (var raw in lines)
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            if (line.StartsWith("export ", StringComparison.Ordinal))
            {
                line = line["export ".Length..].TrimStart();
            }

            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new SettingsException([$"{path}:{number}: expected NAME=value, found '{raw}'."]);
            }

            var name = line[..eq].Trim();
            var value = line[(eq + 1)..].Trim();
            if (value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[^1] == value[0])
            {
                value = value[1..^1];
            }
            else
            {
                var comment = value.IndexOf(" #", StringComparison.Ordinal);
                if (comment >= 0)
                {
                    value = value[..comment].TrimEnd();
                }
            }

            values[name] = value;
        }

        return values;
    }
}
