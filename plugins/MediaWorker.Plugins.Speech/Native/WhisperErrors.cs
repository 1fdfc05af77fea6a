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
            throw new WhisperException($"{operation} failed: {WhisperLog.TakeThreadErrors() ?? NoDetail}.");
        }

        WhisperLog.TakeThreadErrors();
        return pointer;
    }

    /// <summary>Throws for a non-zero result of <c>whisper_full_with_state</c>.</summary>
    public static void ThrowIfFullFailed(int result)
    {
        var logged = WhisperLog.TakeThreadErrors();
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
            _ => "it failed",
        };
        throw new WhisperException($"whisper_full returned {result}: {meaning} ({logged ?? NoDetail}).") { ResultCode = result };
    }
}
