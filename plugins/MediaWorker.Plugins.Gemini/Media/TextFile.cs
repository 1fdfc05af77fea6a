using MediaWorker.Plugins.Abstractions;

namespace MediaWorker.Plugins.Gemini.Media;

/// <summary>Reads a text input (.txt, .md, ...) with a size limit.</summary>
internal static class TextFile
{
    /// <summary>Larger text files are refused rather than sent (about a million tokens).</summary>
    public const long MaxBytes = 4 * 1024 * 1024;

    public static async Task<string> ReadAsync(string path, string parameterName, CancellationToken cancellationToken)
    {
        var length = new FileInfo(path).Length;
        if (length > MaxBytes)
        {
            throw new PermanentJobException($"{parameterName} '{Path.GetFileName(path)}' has {length} bytes; text inputs are limited to {MaxBytes} bytes.");
        }

        var text = await File.ReadAllTextAsync(path, cancellationToken);
        return string.IsNullOrWhiteSpace(text) ? throw new PermanentJobException($"{parameterName} '{Path.GetFileName(path)}' is empty.") : text;
    }
}
