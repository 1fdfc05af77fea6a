using System.Buffers.Binary;
using MediaWorker.Plugins.Abstractions;

namespace MediaWorker.Plugins.Speech.Transcription;

/// <summary>
/// Checks WHISPER_MODEL_PATH before whisper.cpp sees it: whisper.cpp's loader trusts the header it
/// reads, so a file of another kind gets a clear message here instead of a confusing native one.
/// </summary>
internal static class ModelFile
{
    /// <summary>"ggml" read as a little-endian uint32: the first four bytes of every whisper.cpp .bin model.</summary>
    public const uint GgmlMagic = 0x67676d6c;

    private const uint GgufMagic = 0x46554747; // "GGUF"
    private const string Hint = "Whisper models in the ggml format are at https://huggingface.co/ggerganov/whisper.cpp (for example ggml-base.en.bin); docs/speech.md explains how to check one.";

    /// <summary>Returns the full path of a plausible model file.</summary>
    /// <exception cref="PermanentJobException">Unset, missing, or not a ggml model.</exception>
    public static string Check(string? configuredPath)
    {
        if (string.IsNullOrWhiteSpace(configuredPath))
        {
            throw new PermanentJobException($"{SpeechSettings.ModelPathSetting} is not set, so this worker cannot transcribe. Set it to a ggml Whisper model file. {Hint}");
        }

        var path = Path.GetFullPath(configuredPath);
        if (!File.Exists(path))
        {
            throw new PermanentJobException($"{SpeechSettings.ModelPathSetting} is '{configuredPath}', which does not exist{(Directory.Exists(path) ? " as a file (it is a folder)" : string.Empty)}. Point it at a ggml Whisper model file. {Hint}");
        }

        Span<byte> header = stackalloc byte[4];
        int read;
        try
        {
            using var stream = File.OpenRead(path);
            read = stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new PermanentJobException($"{SpeechSettings.ModelPathSetting} '{configuredPath}' cannot be read: {ex.Message}");
        }

        var magic = read == 4 ? BinaryPrimitives.ReadUInt32LittleEndian(header) : 0;
        return magic switch
        {
            GgmlMagic => path,
            GgufMagic => throw new PermanentJobException($"{SpeechSettings.ModelPathSetting} '{configuredPath}' is a GGUF file; this whisper.cpp reads the ggml .bin format. {Hint}"),
            _ => throw new PermanentJobException($"{SpeechSettings.ModelPathSetting} '{configuredPath}' is not a ggml Whisper model (it does not start with the ggml magic). {Hint}"),
        };
    }
}
