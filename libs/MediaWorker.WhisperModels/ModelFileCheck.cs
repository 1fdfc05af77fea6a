using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace MediaWorker.WhisperModels;

/// <summary>
/// Walks a ggml Whisper model file the way whisper.cpp's loader reads it (magic, hyper-parameters,
/// mel filters, vocabulary, then tensors to the end) without loading anything, and refuses a file
/// that is empty, of another kind, cut short or inconsistent.
/// </summary>
/// <remarks>
/// whisper.cpp trusts what it reads: a truncated download throws <c>std::out_of_range</c> from deep
/// inside the loader, which aborts the whole process (SIGABRT, seen with a 1,000-byte file). So no
/// file reaches it before this walk has seen every byte it will read accounted for.
/// </remarks>
public static class ModelFileCheck
{
    /// <summary>"ggml" read as a little-endian uint32: the first four bytes of every whisper.cpp .bin model.</summary>
    public const uint GgmlMagic = 0x67676d6c;

    private const uint GgufMagic = 0x46554747; // "GGUF"
    private const int HyperParameterCount = 11; // n_vocab, n_audio_ctx, n_audio_state, n_audio_head, n_audio_layer, n_text_ctx, n_text_state, n_text_head, n_text_layer, n_mels, ftype
    private const int MaxVocabulary = 1_000_000;
    private const int MaxTokenBytes = 65_536;
    private const int MaxTensorNameBytes = 1024;
    private const int MaxDimensions = 4;
    private const string Hint = "Pull a model with `mediaworker models pull base.en` (see `mediaworker models list`), or use a ggml .bin from whisper.cpp's published models (docs/speech.md).";

    /// <summary>Checks the file; returns what its header says.</summary>
    /// <param name="path">The model file.</param>
    /// <param name="shownPath">The path as the user gave it, for messages.</param>
    /// <exception cref="ModelFileException">Missing, unreadable, not a ggml Whisper model, or cut short.</exception>
    public static ModelFileInfo Check(string path, string shownPath)
    {
        if (!File.Exists(path))
        {
            throw new ModelFileException($"'{shownPath}' does not exist{(Directory.Exists(path) ? " as a file (it is a folder)" : string.Empty)}.");
        }

        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 64 * 1024);
            return Walk(stream, shownPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ModelFileException($"'{shownPath}' cannot be read: {ex.Message}", ex);
        }
    }

    private static ModelFileInfo Walk(FileStream stream, string shownPath)
    {
        using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        var length = stream.Length;
        if (length == 0)
        {
            throw new ModelFileException($"'{shownPath}' is empty (0 bytes): an interrupted download? {Hint}");
        }

        Span<byte> magicBytes = stackalloc byte[4];
        var magic = stream.ReadAtLeast(magicBytes, 4, throwOnEndOfStream: false) == 4 ? BinaryPrimitives.ReadUInt32LittleEndian(magicBytes) : 0;
        switch (magic)
        {
            case GgmlMagic:
                break;
            case GgufMagic:
                throw new ModelFileException($"'{shownPath}' is a GGUF file; whisper.cpp reads the ggml .bin format. {Hint}");
            default:
                throw new ModelFileException($"'{shownPath}' is not a ggml Whisper model (it does not start with the ggml magic). {Hint}");
        }

        Need(stream, length, 4 * HyperParameterCount, "the header", shownPath);
        Span<int> header = stackalloc int[HyperParameterCount];
        for (var i = 0; i < HyperParameterCount; i++)
        {
            header[i] = reader.ReadInt32();
        }

        var vocabularySize = header[0];
        var audioLayers = header[4];
        for (var i = 0; i < HyperParameterCount; i++)
        {
            var lowest = i == HyperParameterCount - 1 ? 0 : 1; // ftype may be 0 (f32)
            if (header[i] < lowest || header[i] > MaxVocabulary)
            {
                throw Invalid(shownPath, $"hyper-parameter {i} of its header is {header[i]}");
            }
        }

        Need(stream, length, 8, "the mel filter bank size", shownPath);
        var melCount = reader.ReadInt32();
        var fftCount = reader.ReadInt32();
        if (melCount is <= 0 or > 1024 || fftCount is <= 0 or > 4096)
        {
            throw Invalid(shownPath, $"its mel filter bank is {melCount} x {fftCount}");
        }

        Skip(stream, length, 4L * melCount * fftCount, "the mel filter bank", shownPath);

        Need(stream, length, 4, "the vocabulary size", shownPath);
        var vocabulary = reader.ReadInt32();
        if (vocabulary is <= 0 or > MaxVocabulary)
        {
            throw Invalid(shownPath, $"its vocabulary size is {vocabulary}");
        }

        for (var i = 0; i < vocabulary; i++)
        {
            Need(stream, length, 4, $"token {i} of the vocabulary", shownPath);
            var tokenBytes = reader.ReadUInt32();
            if (tokenBytes > MaxTokenBytes)
            {
                throw Invalid(shownPath, $"token {i} claims {tokenBytes} bytes");
            }

            Skip(stream, length, tokenBytes, $"token {i} of the vocabulary", shownPath);
        }

        var tensors = 0;
        while (stream.Position < length)
        {
            Need(stream, length, 12, $"the header of tensor {tensors}", shownPath);
            var dimensions = reader.ReadInt32();
            var nameBytes = reader.ReadInt32();
            var type = reader.ReadInt32();
            if (dimensions is < 1 or > MaxDimensions || nameBytes is < 1 or > MaxTensorNameBytes)
            {
                throw Invalid(shownPath, $"tensor {tensors} has {dimensions} dimensions and a {nameBytes}-byte name");
            }

            Need(stream, length, 4L * dimensions, $"the shape of tensor {tensors}", shownPath);
            long elements = 1;
            for (var d = 0; d < dimensions; d++)
            {
                var extent = reader.ReadInt32();
                if (extent <= 0)
                {
                    throw Invalid(shownPath, $"tensor {tensors} has extent {extent}");
                }

                elements *= extent;
            }

            Need(stream, length, nameBytes, $"the name of tensor {tensors}", shownPath);
            var name = Encoding.UTF8.GetString(reader.ReadBytes(nameBytes));
            if (GgmlTypeSizes.Of(type) is not { } sizes)
            {
                throw Invalid(shownPath, $"tensor '{name}' has ggml type {type}, which whisper.cpp models do not use");
            }

            Skip(stream, length, elements * sizes.TypeSize / sizes.BlockSize, $"the data of tensor '{name}'", shownPath);
            tensors++;
        }

        return new ModelFileInfo(vocabularySize, audioLayers, tensors);
    }

    private static void Need(Stream stream, long length, long bytes, string what, string shownPath)
    {
        if (length - stream.Position < bytes)
        {
            throw new ModelFileException(
                $"'{shownPath}' is incomplete: it ends at byte {length.ToString(CultureInfo.InvariantCulture)}, inside {what} (an interrupted download?). {Hint}");
        }
    }

    private static void Skip(Stream stream, long length, long bytes, string what, string shownPath)
    {
        Need(stream, length, bytes, what, shownPath);
        stream.Seek(bytes, SeekOrigin.Current);
    }

    private static ModelFileException Invalid(string shownPath, string detail) =>
        new($"'{shownPath}' is not a whisper.cpp model file: {detail}. {Hint}");
}
