namespace MediaWorker.Plugins.Speech.Native;

/// <summary>
/// The one place that turns whisper.cpp's failure signals (NULL pointers, negative return codes)
/// into <see cref="WhisperException"/>s, with what whisper.cpp logged on this thread as the detail.
/// </summary>
internal static class WhisperErrors
{
    private const string NoDetail = "whisper.cpp logged no error message";

    /// <summary>Returns <paramref name="pointer"/>, or throws when a call that allocates returned NULL.</summary>
    public static nint ThrowIfNull(nint pointer, string operation)
    {
        if (pointer == 0)
        {
            throw Failed(operation);
        }

        WhisperLog.TakeThreadErrors();
        return pointer;
    }

    /// <summary>The exception for a call that signalled failure, with what whisper.cpp logged on this thread.</summary>
    /// <param name="operation">What failed, e.g. "loading the model".</param>
    /// <param name="caught">The C++ exception the guard caught, if any.</param>
    public static WhisperException Failed(string operation, string? caught = null) =>
        new($"{operation} failed: {Detail(caught)}.");

    /// <summary>Throws for a non-zero result of <c>whisper_full_with_state</c>.</summary>
    /// <param name="result">Its return value.</param>
    /// <param name="caught">The C++ exception the guard caught (result -100), if any.</param>
    public static void ThrowIfFullFailed(int result, string? caught = null)
    {
        var detail = Detail(caught);
        if (result == 0)
        {
            return;
        }

        var meaning = result switch
        {
            -2 => "computing the log-mel spectrogram failed",
            -3 => "detecting the spoken language failed",
            -4 => "too many decoders were requested",
            -5 => "audio_ctx is larger than the model allows",
            -6 => "the encoder failed",
            -7 or -8 => "the decoder failed",
            -100 => "whisper.cpp threw",
            _ => "it failed",
        };
        throw new WhisperException($"whisper_full returned {result}: {meaning} ({detail}).") { ResultCode = result };
    }

    // Always drains the thread's logged errors, so they never leak into the next call's message.
    private static string Detail(string? caught)
    {
        var logged = WhisperLog.TakeThreadErrors();
        return string.Join("; ", new[] { caught, logged }.Where(s => s is not null)) is { Length: > 0 } text ? text : NoDetail;
    }
}
