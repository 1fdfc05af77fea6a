using System.Globalization;
using MediaWorker.Plugins.Abstractions;

namespace MediaWorker.Plugins.Speech.Transcription;

/// <summary>What walking a ggml model file found.</summary>
/// <param name="VocabularySize">Tokens in the file's vocabulary.</param>
/// <param name="TensorCount">Weight tensors in the file (0 for whisper.cpp's test models).</param>
internal sealed record ModelFileInfo(int VocabularySize, int TensorCount);

/// <summary>
/// Walks a ggml Whisper model file the way whisper.cpp's loader reads it (header, mel filters,
/// vocabulary, tensors up to the end) without loading anything, and refuses a file that is cut
/// short or inconsistent.
/// </summary>
/// <remarks>
/// whisper.cpp's loader does not check its reads: a truncated download loads with garbage or zero
/// weights (silently empty transcripts) or throws from deep inside. A partial download is the
/// most common broken model, so it gets a precise message here instead.
/// </remarks>
internal static class ModelFileLayout
{
    private const int HyperParameterCount = 11; // n_vocab ... ftype
    private const int MaxVocabulary = 1_000_000;
    private const int MaxTokenBytes = 65_536;
    private const int MaxTensorNameBytes = 1024;
    private const int MaxDimensions = 4;

    /// <summary>Walks the file; throws when it is incomplete or inconsistent.</summary>
    /// <param name="path">The model file (its magic already checked).</param>
    /// <param name="shownPath">The path as configured, for messages.</param>
    /// <param name="bytesPerBlock">The ggml (type size, block size) of a tensor type, or null for a type this ggml does not have.</param>
    /// <exception cref="PermanentJobException">The file is cut short or not a whisper.cpp model.</exception>
    public static ModelFileInfo Walk(string path, string shownPath, Func<int, (long TypeSize, long BlockSize)?> bytesPerBlock)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 64 * 1024);
        using var reader = new BinaryReader(stream);
        var length = stream.Length;

        Need(stream, length, 4 * (1 + HyperParameterCount), "the header", shownPath);
        stream.Seek(4 * (1 + HyperParameterCount), SeekOrigin.Begin); // magic + hyper-parameters

        Need(stream, length, 8, "the mel filter bank size", shownPath);
        var melCount = reader.ReadInt32();
        var fftCount = reader.ReadInt32();
        if (melCount <= 0 || fftCount <= 0)
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
            var name = System.Text.Encoding.UTF8.GetString(reader.ReadBytes(nameBytes));
            if (bytesPerBlock(type) is not { TypeSize: > 0, BlockSize: > 0 } sizes)
            {
                throw Invalid(shownPath, $"tensor '{name}' has ggml type {type}, which this whisper.cpp does not know");
            }

            Skip(stream, length, elements * sizes.TypeSize / sizes.BlockSize, $"the data of tensor '{name}'", shownPath);
            tensors++;
        }

        return new ModelFileInfo(vocabulary, tensors);
    }

    private static void Need(Stream stream, long length, long bytes, string what, string shownPath)
    {
        if (length - stream.Position < bytes)
        {
            throw new PermanentJobException(
                $"{SpeechSettings.ModelPathSetting} '{shownPath}' is incomplete: it ends at byte {length.ToString(CultureInfo.InvariantCulture)}, inside {what} (an interrupted download?). Download the model again and compare its sha256 with the published one (docs/speech.md).");
        }
    }

    private static void Skip(Stream stream, long length, long bytes, string what, string shownPath)
    {
        Need(stream, length, bytes, what, shownPath);
        stream.Seek(bytes, SeekOrigin.Current);
    }

    private static PermanentJobException Invalid(string shownPath, string detail) =>
        new($"{SpeechSettings.ModelPathSetting} '{shownPath}' is not a whisper.cpp model file: {detail}. Use a ggml model from https://huggingface.co/ggerganov/whisper.cpp (docs/speech.md).");
}
