using System.Reflection;
using System.Runtime.InteropServices;

namespace MediaWorker.Plugins.Speech.Native;

/// <summary>
/// Finds, loads and verifies libwhisper.so once per process, and maps the <c>"whisper"</c> import
/// name of <see cref="WhisperNative"/> to it.
/// </summary>
/// <remarks>
/// The library is verified (<see cref="WhisperBuildCheck"/>) through raw exports before any
/// <see cref="WhisperNative"/> stub binds to it, so a refused library can be unloaded again and
/// no call is ever made with a struct layout the library was not built for.
/// </remarks>
internal static class WhisperLibrary
{
    /// <summary>The library name the <c>[LibraryImport]</c> declarations use.</summary>
    public const string ImportName = "whisper";

    /// <summary>The file the set-up hook builds and installs.</summary>
    public const string FileName = "libwhisper.so";

    /// <summary>The setting that overrides where the library is.</summary>
    public const string PathSetting = "WHISPER_LIBRARY_PATH";

    private static readonly Lock Gate = new();
    private static nint _handle;
    private static string? _path;
    private static bool _resolverInstalled;
    private static nint _windowNoSpeechExport;
    private static bool _hasExceptionGuards;

    /// <summary>The path of the loaded library, or <see langword="null"/> before <see cref="Load"/> succeeded.</summary>
    public static string? LoadedPath
    {
        get
        {
            lock (Gate)
            {
                return _path;
            }
        }
    }

    /// <summary>
    /// The address of <c>mediaworker_whisper_window_no_speech_prob</c> (added by the set-up build's
    /// patch), or 0 when the loaded library lacks it; segments then carry no no-speech probability.
    /// </summary>
    public static nint WindowNoSpeechExport
    {
        get
        {
            lock (Gate)
            {
                return _windowNoSpeechExport;
            }
        }
    }

    /// <summary>
    /// True when the loaded library has the set-up build's exception-guarded entry points; a foreign
    /// build is called directly, and a C++ exception inside it aborts the process.
    /// </summary>
    public static bool HasExceptionGuards
    {
        get
        {
            lock (Gate)
            {
                return _hasExceptionGuards;
            }
        }
    }

    /// <summary>Where the library is looked for, in order: the setting alone when set, else the plugin folder.</summary>
    public static IReadOnlyList<string> Candidates(string? configuredPath, string pluginDirectory) =>
        configuredPath is { Length: > 0 }
            ? [Path.GetFullPath(configuredPath)]
            : [Path.Combine(pluginDirectory, FileName), Path.Combine(pluginDirectory, "runtimes", "linux-x64", "native", FileName)];

    /// <summary>The library file to load: the setting when set, else the first candidate in the plugin folder that exists.</summary>
    /// <exception cref="WhisperException">There is none; the message says where it looked and how to build it.</exception>
    public static string Locate(string? configuredPath, string pluginDirectory)
    {
        var candidates = Candidates(configuredPath, pluginDirectory);
        return candidates.FirstOrDefault(File.Exists) ?? throw new WhisperException(
            configuredPath is { Length: > 0 }
                ? $"{PathSetting} points at '{candidates[0]}', which does not exist. Point it at a libwhisper.so, or unset it to use the one the set-up builds."
                : $"{FileName} was not found (looked in '{string.Join("', '", candidates)}'). Run ./start_worker.sh --build-only, whose scripts/setup.d/whisper.sh builds it, or set {PathSetting}.");
    }

    /// <summary>Loads and verifies the library (once per process) and returns its path.</summary>
    /// <exception cref="WhisperException">It is missing, cannot be loaded, or is a build the plugin was not written for.</exception>
    public static string Load(string? configuredPath, string pluginDirectory)
    {
        lock (Gate)
        {
            var candidates = Candidates(configuredPath, pluginDirectory);
            if (_path is not null)
            {
                if (configuredPath is { Length: > 0 } && !string.Equals(candidates[0], _path, StringComparison.Ordinal))
                {
                    throw new WhisperException($"{FileName} is already loaded from '{_path}' in this process; {PathSetting} '{configuredPath}' takes effect after a restart.");
                }

                return _path;
            }

            var path = Locate(configuredPath, pluginDirectory);
            if (!NativeLibrary.TryLoad(path, out var handle))
            {
                throw new WhisperException($"'{path}' could not be loaded as a shared library (wrong architecture, or a dependency such as libstdc++ is missing); rebuild it with scripts/setup.d/whisper.sh.");
            }

            try
            {
                WhisperBuildCheck.Verify(handle, path);
            }
            catch
            {
                NativeLibrary.Free(handle);
                throw;
            }

            if (!_resolverInstalled)
            {
                NativeLibrary.SetDllImportResolver(typeof(WhisperLibrary).Assembly, Resolve);
                _resolverInstalled = true;
            }

            _handle = handle;
            _path = path;
            _windowNoSpeechExport = NativeLibrary.TryGetExport(handle, "mediaworker_whisper_window_no_speech_prob", out var export) ? export : 0;
            _hasExceptionGuards = NativeLibrary.TryGetExport(handle, "mediaworker_whisper_init_from_file_no_state", out _)
                && NativeLibrary.TryGetExport(handle, "mediaworker_whisper_full_with_state", out _);
            return path;
        }
    }

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (!string.Equals(libraryName, ImportName, StringComparison.Ordinal))
        {
            return 0;
        }

        // Falling back to the system's search would bind to an unverified library: refuse instead.
        return _handle != 0 ? _handle : throw new InvalidOperationException($"{FileName} was used before WhisperLibrary.Load verified it.");
    }
}
