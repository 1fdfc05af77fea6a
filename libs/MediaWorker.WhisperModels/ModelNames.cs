namespace MediaWorker.WhisperModels;

/// <summary>How a model name maps to its file, and what counts as a name rather than a path.</summary>
public static class ModelNames
{
    /// <summary><c>ggml-NAME.bin</c>: how whisper.cpp names its published files.</summary>
    public static string FileName(string name) => $"ggml-{name}.bin";

    /// <summary>
    /// True when a WHISPER_MODEL value is a name (<c>base.en</c>, <c>large-v3-q5_0</c>) and not a path:
    /// it holds no path separator and does not end in <c>.bin</c>.
    /// </summary>
    public static bool IsName(string value) =>
        value.Length > 0
        && !value.Contains('/', StringComparison.Ordinal)
        && !value.EndsWith(".bin", StringComparison.OrdinalIgnoreCase)
        && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_');
}
