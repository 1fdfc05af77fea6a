using System.Text;
using MediaWorker.Plugins.Speech.Tests.Support;
using MediaWorker.Plugins.Speech.Transcription;
using MediaWorker.Testing;
using MediaWorker.WhisperModels;
using NUnit.Framework;

namespace MediaWorker.Plugins.Speech.Tests.Models;

/// <summary>
/// The structural check that stands between a file and whisper.cpp, whose loader aborts the whole
/// process on a cut-short file. Each bad file must be refused here, with a message, before any
/// native code reads it: these tests load through <see cref="WhisperModel.Load"/>, so a file that
/// slipped through would kill the test host, not fail an assertion.
/// </summary>
public sealed class ModelFileCheckTests
{
    private TempDirectory _root = null!;

    [SetUp]
    public void CreateRoot() => _root = new TempDirectory("speech-models");

    [TearDown]
    public void DeleteRoot() => _root.Dispose();

    [Test]
    public void TheTestModel_PassesTheCheck_AndIsTheEnglishOnlyTinyWithoutWeights()
    {
        var info = ModelFileCheck.Check(SpeechAssets.TestModel, "test model");

        Assert.Multiple(() =>
        {
            Assert.That(info.ModelType, Is.EqualTo("tiny"));
            Assert.That(info.IsMultilingual, Is.False);
            Assert.That(info.EndOfTextToken, Is.EqualTo(50256));
            Assert.That(info.TensorCount, Is.Zero);
        });
    }

    [TestCase(1000, "inside the mel filter bank")]
    [TestCase(4, "inside the header")]
    [TestCase(60, "inside the mel filter bank")]
    [TestCase(-1, "inside token")]
    public void TruncatedModel_IsRefused_NamingWhereItEnds(int keep, string where)
    {
        var bytes = File.ReadAllBytes(SpeechAssets.TestModel);
        var length = keep > 0 ? keep : bytes.Length - 3;
        var path = _root.Combine("ggml-tiny.en.bin");
        File.WriteAllBytes(path, bytes[..length]);

        var error = Assert.Throws<ModelFileException>(() => WhisperModel.Load(Location(path)));

        Assert.That(error!.Message, Does.Contain("is incomplete").And.Contain($"ends at byte {length}").And.Contain(where).And.Contain("WHISPER_MODEL_PATH"));
    }

    [Test]
    public void EmptyModel_IsRefused()
    {
        var path = _root.Combine("ggml-base.en.bin");
        File.WriteAllBytes(path, []);

        var error = Assert.Throws<ModelFileException>(() => WhisperModel.Load(Location(path)));

        Assert.That(error!.Message, Does.Contain("is empty (0 bytes)"));
    }

    [TestCase("<html>404 Not Found</html>", "does not start with the ggml magic")]
    [TestCase("GGUF\u0003\0\0\0", "is a GGUF file")]
    public void ForeignFile_IsRefused_SayingWhatItIs(string content, string expected)
    {
        var path = _root.Combine("ggml-base.en.bin");
        File.WriteAllBytes(path, Encoding.Latin1.GetBytes(content));

        var error = Assert.Throws<ModelFileException>(() => WhisperModel.Load(Location(path)));

        Assert.That(error!.Message, Does.Contain(expected));
    }

    [Test]
    public void GgmlMagicFollowedByNoise_IsRefused()
    {
        var bytes = new byte[4096];
        new Random(7).NextBytes(bytes);
        BitConverter.GetBytes(ModelFileCheck.GgmlMagic).CopyTo(bytes, 0);
        var path = _root.Combine("ggml-noise.bin");
        File.WriteAllBytes(path, bytes);

        Assert.Throws<ModelFileException>(() => WhisperModel.Load(Location(path)));
    }

    [Test]
    public void ExtraBytesAfterTheVocabulary_AreReadAsATensor_AndRefusedWhenTheyAreNone()
    {
        var path = _root.Combine("ggml-tiny.en.bin");
        File.WriteAllBytes(path, [.. File.ReadAllBytes(SpeechAssets.TestModel), 1, 2, 3, 4, 5]);

        var error = Assert.Throws<ModelFileException>(() => ModelFileCheck.Check(path, path));

        Assert.That(error!.Message, Does.Contain("the header of tensor 0"));
    }

    [Test]
    public void AFolder_IsRefused_SayingItIsOne()
    {
        var error = Assert.Throws<ModelFileException>(() => WhisperModel.Load(Location(_root.Path)));

        Assert.That(error!.Message, Does.Contain("it is a folder"));
    }

    private static ModelLocation Location(string path) => new(path, $"WHISPER_MODEL_PATH '{path}'", null);
}
