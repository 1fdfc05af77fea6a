using System.Text;
using MediaWorker.Plugins.Speech.Transcription;
using NUnit.Framework;

namespace MediaWorker.Plugins.Speech.Tests.Transcription;

public sealed class WordBuilderTests
{
    [Test]
    public void TokensStartingWithASpace_StartWords_AndPunctuationStaysWithTheWordBefore()
    {
        var words = WordBuilder.Build([T(" And", 0.9, 0.0, 0.3), T(" so", 0.8, 0.3, 0.5), T(",", 0.5, 0.5, 0.52), T(" my", 0.7, 0.6, 0.8), T(" fellow", 0.6, 0.8, 1.0), T(" Amer", 0.4, 1.0, 1.2), T("icans", 0.8, 1.2, 1.5)], splitOnCharacters: false);

        Assert.Multiple(() =>
        {
            Assert.That(words.Select(w => w.Word), Is.EqualTo(new[] { "And", "so,", "my", "fellow", "Americans" }));
            Assert.That(words[1].Probability, Is.EqualTo(0.65).Within(1e-9), "the mean of the word's tokens");
            Assert.That((words[4].Start, words[4].End), Is.EqualTo((1.0, 1.5)));
        });
    }

    [Test]
    public void ACharacterSplitAcrossTokens_IsReassembledFromItsBytes()
    {
        var euro = Encoding.UTF8.GetBytes(" 5€");
        var words = WordBuilder.Build([new TextToken(euro[..3], 0.5, 0, 1), new TextToken(euro[3..], 0.5, 1, 2)], splitOnCharacters: false);

        Assert.That(words.Single().Word, Is.EqualTo("5€"));
    }

    [Test]
    public void LanguagesWithoutSpaces_GetOneWordPerCompleteCharacterSequence()
    {
        var bytes = Encoding.UTF8.GetBytes("你好");
        // "你" in one token, "好" split over two: words end where the bytes so far are whole characters.
        var words = WordBuilder.Build([new TextToken(bytes[..3], 0.9, 0, 1), new TextToken(bytes[3..4], 0.9, 1, 2), new TextToken(bytes[4..], 0.9, 2, 3)], WordBuilder.SplitsOnCharacters("zh"));

        Assert.That(words.Select(w => (w.Word, w.Start, w.End)), Is.EqualTo(new[] { ("你", 0.0, 1.0), ("好", 1.0, 3.0) }));
    }

    [Test]
    public void ALoneSpaceToken_MakesNoWord()
    {
        Assert.That(WordBuilder.Build([T(" ", 0.1, 0, 1)], splitOnCharacters: false), Is.Empty);
    }

    private static TextToken T(string text, double p, double start, double end) => new(Encoding.UTF8.GetBytes(text), p, start, end);
}
