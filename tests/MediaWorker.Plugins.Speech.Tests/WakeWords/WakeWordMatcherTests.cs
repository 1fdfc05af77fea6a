using MediaWorker.Plugins.Speech.Tests.Support;
using MediaWorker.Plugins.Speech.Transcripts;
using MediaWorker.Plugins.Speech.WakeWords;
using NUnit.Framework;

namespace MediaWorker.Plugins.Speech.Tests.WakeWords;

public sealed class WakeWordMatcherTests
{
    private static List<WakeWordMatch> Find(Transcript transcript, double threshold = 0.8, params string[] phrases) =>
        WakeWordMatcher.Find(TimedWord.From(transcript), phrases.Length == 0 ? ["hey media worker"] : phrases, threshold);

    [Test]
    public void ExactPhrase_MatchesWithItsWordTimes()
    {
        var matches = Find(TestTranscripts.Of("so hey media worker start the recording"));

        var match = matches.Single();
        Assert.Multiple(() =>
        {
            Assert.That(match.WakeWord, Is.EqualTo("hey media worker"));
            Assert.That(match.MatchedText, Is.EqualTo("hey media worker"));
            Assert.That(match.Similarity, Is.EqualTo(1.0));
            Assert.That(match.Start, Is.EqualTo(0.5), "the second word starts at 0.5 s");
            Assert.That(match.End, Is.EqualTo(1.9).Within(1e-9), "the fourth word ends at 1.5 + 0.4 s");
        });
    }

    [Test]
    public void PunctuationCaseAndHyphens_DoNotMatter()
    {
        var matches = Find(TestTranscripts.Of("Okay. Hey, Media-Worker! Lights on."));

        var match = matches.Single();
        Assert.Multiple(() =>
        {
            Assert.That(match.Similarity, Is.EqualTo(1.0));
            Assert.That(match.MatchedText, Is.EqualTo("Hey, Media-Worker!"), "the words as transcribed, each once");
            Assert.That(match.Start, Is.EqualTo(0.5));
            Assert.That(match.End, Is.EqualTo(1.4).Within(1e-9), "'Media-Worker!' is one transcript word");
        });
    }

    [Test]
    public void WordsRunTogether_StillMatch_ThroughTheShorterWindow()
    {
        var match = Find(TestTranscripts.Of("hey mediaworker what time is it")).Single();

        Assert.That(match.MatchedText, Is.EqualTo("hey mediaworker"));
        Assert.That(match.Similarity, Is.EqualTo(1 - (1.0 / 16)).Within(1e-9), "one space apart");
    }

    [Test]
    public void NearMiss_AboveTheThreshold_Matches()
    {
        // "hey media walker": two letters differ in 16 characters, 0.875.
        var match = Find(TestTranscripts.Of("hey media walker"), threshold: 0.85).Single();

        Assert.That(match.Similarity, Is.EqualTo(0.875).Within(1e-9));
    }

    [Test]
    public void NearMiss_BelowTheThreshold_DoesNotMatch()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Find(TestTranscripts.Of("hey media walker"), threshold: 0.9), Is.Empty);
            Assert.That(Find(TestTranscripts.Of("they met a walker")), Is.Empty);
            Assert.That(Find(TestTranscripts.Of("media worker is a program")), Is.Empty, "without 'hey' only 12 of 16 characters match");
        });
    }

    [Test]
    public void APhraseSplitAcrossSegments_Matches()
    {
        var match = Find(TestTranscripts.Of("well hey media", "worker turn it off")).Single();

        Assert.Multiple(() =>
        {
            Assert.That(match.MatchedText, Is.EqualTo("hey media worker"));
            Assert.That(match.Start, Is.EqualTo(0.5));
            Assert.That(match.End, Is.EqualTo(1.9).Within(1e-9));
        });
    }

    [Test]
    public void SeveralOccurrencesAndPhrases_AreAllFound_InTimeOrder_WithoutOverlaps()
    {
        var transcript = TestTranscripts.Of("hey media worker", "play music", "ok computer stop", "hey media worker hey media worker");

        var matches = Find(transcript, 0.8, "hey media worker", "ok computer");

        Assert.Multiple(() =>
        {
            Assert.That(matches.Select(m => m.WakeWord), Is.EqualTo(new[] { "hey media worker", "ok computer", "hey media worker", "hey media worker" }));
            Assert.That(matches.Select(m => m.Start), Is.Ordered);
            Assert.That(matches.Select(m => m.Start), Is.EqualTo(new[] { 0.0, 2.5, 4.0, 5.5 }));
        });
    }

    [Test]
    public void SegmentsWithoutWordTimes_AreSpreadOverTheSegmentByCharacters()
    {
        var transcript = new Transcript("en", 10, "abc hey media worker", [new TranscriptSegment(2, 6, "abc hey media worker", null, [])]);

        var match = Find(transcript).Single();

        // 4 s over the 17 letters of the words: "abc" takes 3 of them, "hey media worker" the other 14.
        Assert.That(match.Start, Is.EqualTo(2 + (4.0 * 3 / 17)).Within(1e-9));
        Assert.That(match.End, Is.EqualTo(6).Within(1e-9));
    }

    [TestCase("Don't stop", new[] { "dont", "stop" })]
    [TestCase("hey,media-worker!!", new[] { "hey", "media", "worker" })]
    [TestCase("Straße 42", new[] { "straße", "42" })]
    [TestCase("...", new string[0])]
    public void Normalizer_SplitsAndLowercases(string text, string[] expected) =>
        Assert.That(TextNormalizer.Words(text), Is.EqualTo(expected));

    [TestCase("kitten", "sitting", 3)]
    [TestCase("", "abc", 3)]
    [TestCase("flaw", "lawn", 2)]
    [TestCase("same", "same", 0)]
    public void Distance_IsTheLevenshteinDistance(string a, string b, int expected) =>
        Assert.That(Similarity.Distance(a, b), Is.EqualTo(expected));
}
