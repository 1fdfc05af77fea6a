using MediaWorker.Plugins.Speech.Transcription;
using NUnit.Framework;

namespace MediaWorker.Plugins.Speech.Tests.Transcription;

public sealed class WordBuilderTests
{
    private const int Eot = 50257;

    [Test]
    public void TokensStartingWithASpace_StartWords_AndPunctuationStaysWithTheWordBefore()
    {
        var words = WordBuilder.Build(Segment(" Hello, world!", (" Hello", 0.0, 0.4), (",", 0.4, 0.45), (" world", 0.5, 0.9), ("!", 0.9, 0.95)), Eot, splitOnCharacters: false);

        Assert.That(words.Select(w => (w.Word, w.Start, w.End)), Is.EqualTo(new[] { ("Hello,", 0.0, 0.45), ("world!", 0.5, 0.95) }));
    }

    [Test]
    public void SpecialTokens_AreNotWords()
    {
        var segment = new WindowSegment(0, 1, " Hi", 0.1, [new(Eot + 1, "[_BEG_]", 1, 0, 0), new(10, " Hi", 0.8, 0, 0.5), new(Eot + 300, "[_TT_50]", 1, 0.5, 0.5)]);

        Assert.That(WordBuilder.Build(segment, Eot, false).Select(w => w.Word), Is.EqualTo(new[] { "Hi" }));
    }

    [Test]
    public void ACharacterSplitAcrossTokens_ArrivesAsReplacementCharacters_AndIsTakenWholeFromTheSegmentText()
    {
        // "我们好" where 我 is split over two tokens (each decoded alone to U+FFFD).
        var words = WordBuilder.Build(Segment("我们好", ("\uFFFD", 0.0, 0.1), ("\uFFFD", 0.1, 0.2), ("们", 0.2, 0.4), ("好", 0.4, 0.6)), Eot, splitOnCharacters: true);

        Assert.That(words.Select(w => (w.Word, w.Start, w.End)), Is.EqualTo(new[] { ("我", 0.0, 0.2), ("们", 0.2, 0.4), ("好", 0.4, 0.6) }));
        Assert.That(words[0].Probability, Is.EqualTo(0.5), "the mean of both parts");
    }

    [Test]
    public void ASplitCharacterAtTheEndOfASegment_TakesTheRestOfTheText()
    {
        var words = WordBuilder.Build(Segment(" Bonjour 😀", (" Bonjour", 0.0, 0.5), (" \uFFFD", 0.5, 0.6), ("\uFFFD", 0.6, 0.7)), Eot, splitOnCharacters: false);

        Assert.That(words.Select(w => w.Word), Is.EqualTo(new[] { "Bonjour", "😀" }));
    }

    [Test]
    public void ALoneSpaceToken_MakesNoWord()
    {
        var words = WordBuilder.Build(Segment("  Hi", (" ", 0.0, 0.1), (" Hi", 0.1, 0.4)), Eot, splitOnCharacters: false);

        Assert.That(words.Select(w => w.Word), Is.EqualTo(new[] { "Hi" }));
    }

    private static WindowSegment Segment(string text, params (string Text, double Start, double End)[] tokens) =>
        new(tokens[0].Start, tokens[^1].End, text, 0.1, tokens.Select((t, i) => new WindowToken(100 + i, t.Text, i % 2 == 0 ? 0.25 : 0.75, t.Start, t.End)).ToList());
}
