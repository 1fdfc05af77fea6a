using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Extensions.Logging;

namespace MediaWorker.Plugins.Speech.Native;

/// <summary>
/// Receives whisper.cpp's log (it would otherwise print to stderr): informational lines go to the
/// daemon's log at Debug, warnings and errors at Warning, and errors are also kept per thread so
/// <see cref="WhisperErrors"/> can put them into the exception of the call that failed, the way
/// libgit2's <c>git_error_last</c> is used.
/// </summary>
internal static unsafe class WhisperLog
{
    [ThreadStatic]
    private static StringBuilder? _pendingLine;

    [ThreadStatic]
    private static ggml_log_level _pendingLevel;

    [ThreadStatic]
    private static List<string>? _threadErrors;

    private static ILogger? _logger;

    /// <summary>Routes whisper.cpp's log to <paramref name="logger"/>; safe to call again (last wins).</summary>
    public static void Install(ILogger logger)
    {
        _logger = logger;
        WhisperNative.whisper_log_set(&OnLog, 0);
    }

    /// <summary>The errors whisper.cpp logged on this thread since the last call, joined; then forgets them.</summary>
    public static string? TakeThreadErrors()
    {
        FlushPending();
        var errors = _threadErrors;
        if (errors is null || errors.Count == 0)
        {
            return null;
        }

        var text = string.Join("; ", errors);
        errors.Clear();
        return text;
    }

    [UnmanagedCallersOnly]
    private static void OnLog(ggml_log_level level, byte* text, nint userData)
    {
        // Nothing may escape a callback that native code called: it would abort the process.
        try
        {
            var fragment = Marshal.PtrToStringUTF8((nint)text) ?? string.Empty;
            _pendingLine ??= new StringBuilder();
            if (level != ggml_log_level.GGML_LOG_LEVEL_CONT)
            {
                FlushPending();
                _pendingLevel = level;
            }

            _pendingLine.Append(fragment);
            if (fragment.EndsWith('\n'))
            {
                FlushPending();
            }
        }
        catch (Exception)
        {
        }
    }

    private static void FlushPending()
    {
        var line = _pendingLine?.ToString().Trim();
        _pendingLine?.Clear();
        if (string.IsNullOrEmpty(line))
        {
            return;
        }

        switch (_pendingLevel)
        {
            case ggml_log_level.GGML_LOG_LEVEL_ERROR:
                (_threadErrors ??= []).Add(line);
                if (_threadErrors.Count > 8)
                {
                    _threadErrors.RemoveAt(0);
                }

                _logger?.LogWarning("whisper.cpp: {Line}", line);
                break;
            case ggml_log_level.GGML_LOG_LEVEL_WARN:
                _logger?.LogWarning("whisper.cpp: {Line}", line);
                break;
            default:
                _logger?.LogDebug("whisper.cpp: {Line}", line);
                break;
        }
    }
}
