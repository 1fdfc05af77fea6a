using System.Text.Json.Nodes;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.Gemini.Api;
using MediaWorker.Plugins.Gemini.Structured;
using MediaWorker.Plugins.Gemini.Tests.Support;
using MediaWorker.Testing.Gemini;
using NUnit.Framework;

namespace MediaWorker.Plugins.Gemini.Tests.Api;

public sealed class GeminiClientTests : RigTests
{
    private static GenerateContentRequest Request() => new()
    {
        SystemInstruction = new GeminiContent(null, [GeminiPart.FromText("Answer in JSON.")]),
        Contents = [new GeminiContent("user", [GeminiPart.FromText("Say hello.")])],
        GenerationConfig = new GeminiGenerationConfig { ResponseSchema = Schema.Object([("greeting", Schema.String())]) },
    };

    [Test]
    public async Task GenerateContent_SendsKeyHeaderAndSchema_ReturnsTextAndUsage()
    {
        Rig.Server.Enqueue("generateContent", FakeReply.Answer(new JsonObject { ["greeting"] = "hello" }, promptTokens: 12, outputTokens: 3));

        var answer = await Rig.Client().GenerateContentAsync("models/fake-flash", Request(), CancellationToken.None);

        Assert.That(answer.Text, Is.EqualTo("""{"greeting":"hello"}"""));
        Assert.That(answer.Usage, Is.EqualTo(new TokenUsage(12, 3, 15)));
        var sent = Rig.Server.RequestsTo("generateContent").Single();
        Assert.Multiple(() =>
        {
            Assert.That(sent.PathAndQuery, Is.EqualTo("/v1beta/models/fake-flash:generateContent"));
            Assert.That(sent.Headers["x-goog-api-key"], Is.EqualTo(FakeGeminiServer.ApiKey));
            Assert.That(sent.Body!["generationConfig"]!["responseSchema"]!["type"]!.GetValue<string>(), Is.EqualTo("OBJECT"));
            Assert.That(Rig.Server.Violations, Is.Empty);
        });
    }

    [Test]
    public void GenerateContent_429WithRetryInfo_IsRetryableNoEarlierThanTheServersDelay()
    {
        Rig.Server.Enqueue("generateContent", FakeReply.Error(429, "RESOURCE_EXHAUSTED", "You exceeded your current quota.", retryDelay: "37s"));

        var ex = Assert.ThrowsAsync<RetryableJobException>(() => Rig.Client().GenerateContentAsync("fake-flash", Request(), CancellationToken.None));

        Assert.That(ex!.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(37)));
        Assert.That(ex.Message, Does.Contain("429 RESOURCE_EXHAUSTED").And.Contain("You exceeded your current quota."));
        Assert.That(Rig.Server.RequestsTo("generateContent").Count(), Is.EqualTo(1), "a 429 is left to the job queue, not retried in the call");
    }

    [Test]
    public async Task GenerateContent_503ThenSuccess_IsRetriedInsideTheCall()
    {
        Rig.Server.Enqueue("generateContent", FakeReply.Error(503, "UNAVAILABLE", "The model is overloaded. Please try again later."));
        Rig.Server.Enqueue("generateContent", FakeReply.Answer(new JsonObject { ["greeting"] = "hi" }));

        var answer = await Rig.Client().GenerateContentAsync("fake-flash", Request(), CancellationToken.None);

        Assert.That(answer.Text, Does.Contain("hi"));
        Assert.That(Rig.Server.RequestsTo("generateContent").Count(), Is.EqualTo(2));
        Assert.That(Rig.Logger.Text, Does.Contain("retry 1 of 2"));
    }

    [TestCase(500, "INTERNAL")]
    [TestCase(503, "UNAVAILABLE")]
    [TestCase(504, "DEADLINE_EXCEEDED")]
    public void GenerateContent_RepeatedServerErrors_AreRetryableAfterBoundedInCallRetries(int status, string name)
    {
        for (var i = 0; i < 3; i++)
        {
            Rig.Server.Enqueue("generateContent", FakeReply.Error(status, name, "Server trouble."));
        }

        var ex = Assert.ThrowsAsync<RetryableJobException>(() => Rig.Client().GenerateContentAsync("fake-flash", Request(), CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain($"HTTP {status} {name}"));
        Assert.That(Rig.Server.RequestsTo("generateContent").Count(), Is.EqualTo(3), "one call plus GEMINI_MAX_RETRIES=2 retries");
    }

    [TestCase(400, "INVALID_ARGUMENT", "Request contains an invalid argument.")]
    [TestCase(400, "FAILED_PRECONDITION", "User location is not supported for the API use.")]
    [TestCase(403, "PERMISSION_DENIED", "Method doesn't allow unregistered callers.")]
    public void GenerateContent_ClientErrors_ArePermanentWithTheServersMessage(int status, string name, string message)
    {
        Rig.Server.Enqueue("generateContent", FakeReply.Error(status, name, message));

        var ex = Assert.ThrowsAsync<PermanentJobException>(() => Rig.Client().GenerateContentAsync("fake-flash", Request(), CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain($"HTTP {status} {name}: {message}"));
        Assert.That(Rig.Server.RequestsTo("generateContent").Count(), Is.EqualTo(1));
    }

    [Test]
    public void GenerateContent_UnknownModel_IsPermanentAndNamesTheModelSettings()
    {
        var ex = Assert.ThrowsAsync<PermanentJobException>(() => Rig.Client().GenerateContentAsync("gemini-0.1-nonexistent", Request(), CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain("HTTP 404 NOT_FOUND").And.Contain("models/gemini-0.1-nonexistent is not found").And.Contain("GEMINI_MODEL"));
    }

    [Test]
    public void GenerateContent_PromptBlocked_IsPermanentAndNamesTheBlockReason()
    {
        Rig.Server.Enqueue("generateContent", FakeReply.PromptBlocked("SAFETY"));

        var ex = Assert.ThrowsAsync<PermanentJobException>(() => Rig.Client().GenerateContentAsync("fake-flash", Request(), CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain("block reason SAFETY").And.Contain("HARM_CATEGORY_DANGEROUS_CONTENT rated HIGH, blocked"));
        Assert.That(ex.Message, Does.Not.Contain("HARASSMENT"), "only the ratings that matter are named");
    }

    [Test]
    public void GenerateContent_AnswerBlocked_IsPermanentAndNamesTheFinishReason()
    {
        Rig.Server.Enqueue("generateContent", FakeReply.AnswerBlocked("PROHIBITED_CONTENT"));

        var ex = Assert.ThrowsAsync<PermanentJobException>(() => Rig.Client().GenerateContentAsync("fake-flash", Request(), CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain("block reason PROHIBITED_CONTENT"));
    }

    [Test]
    public void ServerMessageEchoingTheKey_IsRedactedFromExceptionsAndLogs()
    {
        var echo = $"API key {FakeGeminiServer.ApiKey} is expired.";
        Rig.Server.Enqueue("generateContent", FakeReply.Error(503, "UNAVAILABLE", echo));
        Rig.Server.Enqueue("generateContent", FakeReply.Error(400, "INVALID_ARGUMENT", echo));

        var ex = Assert.ThrowsAsync<PermanentJobException>(() => Rig.Client().GenerateContentAsync("fake-flash", Request(), CancellationToken.None));

        Assert.That(ex!.ToString(), Does.Not.Contain(FakeGeminiServer.ApiKey));
        Assert.That(ex.Message, Does.Contain("API key [redacted] is expired."));
        Assert.That(Rig.Logger.Text, Does.Contain("[redacted]").And.Not.Contain(FakeGeminiServer.ApiKey));
    }

    [Test]
    public async Task UnreachableServer_IsRetryableAndNamesTheHost()
    {
        var port = MediaWorker.Testing.FreePort.Next();
        Rig.Settings["GEMINI_BASE_URL"] = $"http://127.0.0.1:{port}/";
        Rig.Settings["GEMINI_MAX_RETRIES"] = "1";

        var ex = Assert.ThrowsAsync<RetryableJobException>(() => Rig.Client().GenerateContentAsync("fake-flash", Request(), CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain($"could not reach 127.0.0.1:{port}"));
        await Task.CompletedTask;
    }

    [Test]
    public void Embed_WrongDimensionsFromServer_AreRejected()
    {
        Rig.Server.Enqueue("batchEmbedContents", new FakeReply(200, """{"embeddings":[{"values":[1,2]},{"values":[1]}]}"""));

        var ex = Assert.ThrowsAsync<RetryableJobException>(() => Rig.Client().EmbedAsync("fake-embed", ["a", "b", "c"], null, null, null, null, CancellationToken.None));

        Assert.That(ex!.Message, Does.Contain("returned 2 embeddings for 3 texts"));
    }
}
