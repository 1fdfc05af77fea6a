using System.Text.Json.Nodes;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.Gemini.Tests.Support;
using MediaWorker.Testing.Gemini;
using NUnit.Framework;

namespace MediaWorker.Plugins.Gemini.Tests.Analysis;

public sealed class AiAnalyzeHandlerTests : RigTests
{
    [Test]
    public async Task Transcript_StandardMode_ReturnsTheSeedFormatFromTheFastModel()
    {
        var input = Rig.WriteInput("talk/transcript.json", Samples.TranscriptJson());
        Rig.Server.Enqueue("generateContent", FakeReply.Answer(Samples.Analysis(), promptTokens: 300, outputTokens: 120));

        var output = await Rig.RunAsync("ai_analyze", new JsonObject { ["input_path"] = input });

        Assert.Multiple(() =>
        {
            Assert.That(output["title"]!.GetValue<string>(), Is.EqualTo("Three topics"));
            Assert.That(output["summary"]!.GetValue<string>(), Is.EqualTo("A talk about three topics."));
            Assert.That(output["keyTakeaways"]!.AsArray(), Has.Count.EqualTo(2));
            Assert.That(output["timeline"]!.AsArray().Select(t => t!["timestamp"]!.GetValue<string>()), Is.EqualTo(new[] { "00:00", "00:30" }), "sorted by time");
            Assert.That(output["timeline"]![0]!["details"]![0]!.GetValue<string>(), Is.EqualTo("detail a"));
            Assert.That(output["keywords"]!.AsArray(), Has.Count.EqualTo(2));
            Assert.That(output.ContainsKey("visualAudit"), Is.False);
            Assert.That(output["mode"]!.GetValue<string>(), Is.EqualTo("standard"));
            Assert.That(output["provider"]!.GetValue<string>(), Is.EqualTo("gemini"));
            Assert.That(output["model"]!.GetValue<string>(), Is.EqualTo("fake-model-001"));
            Assert.That(output["tokenUsage"]!.ToJsonString(), Is.EqualTo("""{"promptTokens":300,"outputTokens":120,"totalTokens":420}"""));
            Assert.That(output["source"]!.ToJsonString(), Is.EqualTo("""{"kind":"transcript","path":"talk/transcript.json","duration":42}"""));
        });
        var sent = Rig.Server.RequestsTo("generateContent").Single();
        Assert.That(sent.Model, Is.EqualTo("fake-flash"));
        Assert.That(sent.Body!["contents"]![0]!["parts"]![0]!["text"]!.GetValue<string>(), Does.Contain("[00:14] Segment 1 talks about topic number 1."));
        Assert.That(sent.Body["generationConfig"]!["responseSchema"]!["properties"]!.AsObject().Select(p => p.Key), Does.Not.Contain("visualAudit"));
        Assert.That(Rig.Server.Violations, Is.Empty);
    }

    [Test]
    public async Task Text_WithLanguageAndModelOverride_IsPassedToTheModel()
    {
        Rig.Server.Enqueue("generateContent", FakeReply.Answer(Samples.Analysis(lastTimestamp: "00:00")));

        var output = await Rig.RunAsync("ai_analyze", new JsonObject { ["text"] = "Kurzer Text über drei Themen.", ["language"] = "de", ["model"] = "fake-pro", ["instructions"] = "Focus on risks." });

        Assert.That(output["source"]!["kind"]!.GetValue<string>(), Is.EqualTo("text"));
        var sent = Rig.Server.RequestsTo("generateContent").Single();
        Assert.That(sent.Model, Is.EqualTo("fake-pro"));
        var system = sent.Body!["systemInstruction"]!["parts"]![0]!["text"]!.GetValue<string>();
        Assert.That(system, Does.Contain("language with code 'de'").And.Contain("Focus on risks."));
    }

    [Test]
    public void ATimestampAfterTheEnd_IsRetriedOnce_ThenAPermanentFailureNamingIt()
    {
        var input = Rig.WriteInput("transcript.json", Samples.TranscriptJson());
        Rig.Server.Enqueue("generateContent", FakeReply.Answer(Samples.Analysis(lastTimestamp: "05:00")));
        Rig.Server.Enqueue("generateContent", FakeReply.Answer(Samples.Analysis(lastTimestamp: "04:00")));

        var ex = Assert.ThrowsAsync<PermanentJobException>(() => Rig.RunAsync("ai_analyze", new JsonObject { ["input_path"] = input }));

        Assert.That(ex!.Message, Does.Contain("$.timeline[0].timestamp is 04:00, after the end of the content at 00:42"));
        Assert.That(Rig.Server.RequestsTo("generateContent").Count(), Is.EqualTo(2));
    }

    [Test]
    public async Task MalformedJsonThenValid_Succeeds()
    {
        var input = Rig.WriteInput("transcript.json", Samples.TranscriptJson());
        Rig.Server.Enqueue("generateContent", FakeReply.Text("Here is the analysis: {\"title\": "));
        Rig.Server.Enqueue("generateContent", FakeReply.Answer(Samples.Analysis()));

        var output = await Rig.RunAsync("ai_analyze", new JsonObject { ["input_path"] = input });

        Assert.That(output["title"]!.GetValue<string>(), Is.EqualTo("Three topics"));
        Assert.That(output["tokenUsage"]!["totalTokens"]!.GetValue<int>(), Is.EqualTo(300));
    }

    [Test]
    public void ASafetyBlock_FailsPermanentlyNamingTheReason()
    {
        Rig.Server.Enqueue("generateContent", FakeReply.PromptBlocked("PROHIBITED_CONTENT"));

        var ex = Assert.ThrowsAsync<PermanentJobException>(() => Rig.RunAsync("ai_analyze", new JsonObject { ["text"] = "something" }));

        Assert.That(ex!.Message, Does.Contain("block reason PROHIBITED_CONTENT"));
    }

    [Test]
    public void A429_IsRetryableWithTheServersDelay()
    {
        Rig.Server.Enqueue("generateContent", FakeReply.Error(429, "RESOURCE_EXHAUSTED", "Quota exceeded for metric generate_content_free_tier_requests.", retryDelay: "12.5s"));

        var ex = Assert.ThrowsAsync<RetryableJobException>(() => Rig.RunAsync("ai_analyze", new JsonObject { ["text"] = "something" }));

        Assert.That(ex!.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(12.5)));
    }

    [Test]
    public void WithoutAnApiKey_TheJobFailsPermanentlyNamingTheSetting()
    {
        Rig.Settings["GEMINI_API_KEY"] = null;

        var ex = Assert.ThrowsAsync<PermanentJobException>(() => Rig.RunAsync("ai_analyze", new JsonObject { ["text"] = "something" }));

        Assert.That(ex!.Message, Does.StartWith("GEMINI_API_KEY is not set"));
        Assert.That(Rig.Server.Requests, Is.Empty);
    }

    [TestCase("""{"mode":"deep","text":"x"}""", "Mode 'deep' analyses a video")]
    [TestCase("""{"text":"x","input_path":"a.json"}""", "Pass exactly one of 'input_path'")]
    [TestCase("""{}""", "Pass exactly one of 'input_path'")]
    [TestCase("""{"text":"x","transcript_path":"t.json"}""", "'transcript_path' is only used in mode 'deep'")]
    [TestCase("""{"input_path":"notes.docx"}""", "has an extension ai_analyze does not know")]
    [TestCase("""{"input_path":"../../etc/passwd.txt"}""", "input_path")]
    [TestCase("""{"input_path":"bad.json"}""", "is not a transcript.json")]
    [TestCase("""{"input_path":"empty.json"}""", "holds no text and no segments")]
    public void BadRequests_FailPermanentlyWithAnActionableMessage(string parameters, string expected)
    {
        Rig.WriteInput("notes.docx", "x");
        Rig.WriteInput("bad.json", "{ not json");
        Rig.WriteInput("empty.json", """{"language":"en","segments":[]}""");

        var ex = Assert.ThrowsAsync<PermanentJobException>(() => Rig.RunAsync("ai_analyze", (JsonObject)JsonNode.Parse(parameters)!));

        Assert.That(ex!.Message, Does.Contain(expected));
        Assert.That(Rig.Server.RequestsTo("generateContent"), Is.Empty);
    }

    [Test]
    public async Task OpenAiCompatibleProvider_AnalysesTranscriptsWithTheLocalServer()
    {
        Rig.Settings["AI_PROVIDER"] = "openai-compatible";
        Rig.Settings["OPENAI_BASE_URL"] = Rig.Server.OpenAiBaseUrl.ToString();
        Rig.Settings["OPENAI_API_KEY"] = FakeGeminiServer.OpenAiKey;
        Rig.Settings["OPENAI_MODEL"] = "fake-local";
        var input = Rig.WriteInput("transcript.json", Samples.TranscriptJson());
        Rig.Server.Enqueue("chat", FakeGeminiServer.ChatAnswer("```json\n" + Samples.Analysis().ToJsonString() + "\n```"));

        var output = await Rig.RunAsync("ai_analyze", new JsonObject { ["input_path"] = input });

        Assert.That(output["provider"]!.GetValue<string>(), Is.EqualTo("openai-compatible"));
        Assert.That(output["model"]!.GetValue<string>(), Is.EqualTo("fake-local"));
        Assert.That(output["tokenUsage"]!["totalTokens"]!.GetValue<int>(), Is.EqualTo(60));
        var sent = Rig.Server.RequestsTo("chat").Single().Body!;
        Assert.That(sent["messages"]![0]!["role"]!.GetValue<string>(), Is.EqualTo("system"));
        Assert.That(sent["response_format"]!["json_schema"]!["schema"]!["properties"]!["timeline"]!["type"]!.GetValue<string>(), Is.EqualTo("array"));
        Assert.That(Rig.Server.RequestsTo("generateContent"), Is.Empty);
        Assert.That(Rig.Server.Violations, Is.Empty);
    }
}
