using System.Text.Json.Nodes;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.Gemini.Api;
using MediaWorker.Plugins.Gemini.Structured;
using MediaWorker.Plugins.Gemini.Tests.Support;
using MediaWorker.Testing.Gemini;
using NUnit.Framework;

namespace MediaWorker.Plugins.Gemini.Tests.Structured;

public sealed class StructuredGeneratorTests : RigTests
{
    private StructuredGenerator Generator() => new(new GeminiStructuredModel(Rig.Client()), Rig.Logger);

    private static StructuredPrompt Prompt() => new("fake-flash", "Rate it.", [PromptTurn.User(GeminiPart.FromText("Rate this."))], Schema.Object([("score", Schema.Number(minimum: 0, maximum: 10))]));

    [Test]
    public async Task MalformedJsonThenValid_SucceedsOnTheSecondTry_WithTheProblemPointedOut()
    {
        Rig.Server.Enqueue("generateContent", FakeReply.Text("""{"score": 7""", promptTokens: 10, outputTokens: 5));
        Rig.Server.Enqueue("generateContent", FakeReply.Answer(new JsonObject { ["score"] = 7 }, promptTokens: 20, outputTokens: 5));

        var answer = await Generator().GenerateAsync(Prompt(), null, CancellationToken.None);

        Assert.That(answer.Value["score"]!.GetValue<double>(), Is.EqualTo(7));
        Assert.That(answer.Tries, Is.EqualTo(2));
        Assert.That(answer.Usage, Is.EqualTo(new TokenUsage(30, 10, 40)), "both tries' tokens are counted");
        var retry = Rig.Server.RequestsTo("generateContent").Last().Body!["contents"]!.AsArray();
        Assert.That(retry, Has.Count.EqualTo(3));
        Assert.That(retry[1]!["role"]!.GetValue<string>(), Is.EqualTo("model"));
        Assert.That(retry[2]!["parts"]![0]!["text"]!.GetValue<string>(), Does.Contain("not valid JSON"));
    }

    [Test]
    public void InvalidTwice_IsPermanentAndQuotesWhatWasWrong()
    {
        Rig.Server.Enqueue("generateContent", FakeReply.Answer(new JsonObject { ["score"] = 42 }));
        Rig.Server.Enqueue("generateContent", FakeReply.Answer(new JsonObject { ["score"] = 43 }));

        var ex = Assert.ThrowsAsync<PermanentJobException>(() => Generator().GenerateAsync(Prompt(), null, CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain("invalid answer 2 times").And.Contain("$.score is 43, above the maximum 10").And.Contain("""The answer began: "{"score":43}"."""));
    }

    [Test]
    public void AnAnswerCutAtTheTokenLimit_SaysSo()
    {
        Rig.Server.Enqueue("generateContent", FakeReply.Text("""{"sco""", finishReason: "MAX_TOKENS"));
        Rig.Server.Enqueue("generateContent", FakeReply.Text("""{"sco""", finishReason: "MAX_TOKENS"));

        var ex = Assert.ThrowsAsync<PermanentJobException>(() => Generator().GenerateAsync(Prompt(), null, CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain("cut at the output token limit"));
    }

    [Test]
    public async Task TheTasksOwnCheck_CanRejectASchemaValidAnswer()
    {
        Rig.Server.Enqueue("generateContent", FakeReply.Answer(new JsonObject { ["score"] = 3 }));
        Rig.Server.Enqueue("generateContent", FakeReply.Answer(new JsonObject { ["score"] = 4 }));

        var answer = await Generator().GenerateAsync(Prompt(), a => a["score"]!.GetValue<double>() < 4 ? ["$.score must be even"] : [], CancellationToken.None);

        Assert.That(answer.Value["score"]!.GetValue<double>(), Is.EqualTo(4));
    }
}
