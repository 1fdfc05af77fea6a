using System.Runtime.InteropServices;

namespace MediaWorker.Plugins.Speech.Native;

/// <summary>
/// The two whisper.cpp calls that can fail on bad input (loading a model, running whisper_full),
/// through the exception guards of the set-up build when the library has them, with every failure
/// turned into a <see cref="WhisperException"/>.
/// </summary>
internal static unsafe class WhisperCalls
{
    private const int ErrorBufferSize = 512;

    /// <summary>whisper_full's result when the guard caught a C++ exception.</summary>
    private const int CaughtException = -100;

    /// <summary>Loads a model without a default state.</summary>
    /// <exception cref="WhisperException">whisper.cpp refused or could not read the file.</exception>
    public static WhisperContextHandle InitFromFile(string path, whisper_context_params parameters)
    {
        WhisperContextHandle context;
        var error = stackalloc byte[ErrorBufferSize];
        error[0] = 0;
        if (WhisperLibrary.HasExceptionGuards)
        {
            context = WhisperNative.mediaworker_whisper_init_from_file_no_state(path, &parameters, error, ErrorBufferSize);
        }
        else
        {
            context = WhisperNative.whisper_init_from_file_with_params_no_state(path, parameters);
        }

        if (context.IsInvalid)
        {
            context.Dispose();
            throw WhisperErrors.Failed("loading the model", Text(error));
        }

        WhisperLog.TakeThreadErrors();
        return context;
    }

    /// <summary>Runs whisper_full in <paramref name="state"/>.</summary>
    /// <exception cref="WhisperException">It failed or threw.</exception>
    public static void Full(WhisperContextHandle context, WhisperStateHandle state, in whisper_full_params parameters, float* samples, int count)
    {
        var error = stackalloc byte[ErrorBufferSize];
        error[0] = 0;
        int result;
        if (WhisperLibrary.HasExceptionGuards)
        {
            fixed (whisper_full_params* p = &parameters)
            {
                result = WhisperNative.mediaworker_whisper_full_with_state(context, state, p, samples, count, error, ErrorBufferSize);
            }
        }
        else
        {
            result = WhisperNative.whisper_full_with_state(context, state, parameters, samples, count);
        }

        WhisperErrors.ThrowIfFullFailed(result, result == CaughtException ? Text(error) : null);
    }

    private static string? Text(byte* error) => error[0] == 0 ? null : Marshal.PtrToStringUTF8((nint)error);
}
