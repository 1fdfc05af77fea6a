using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.Gemini.Tests.Support;
using MediaWorker.Testing.Gemini;
using NUnit.Framework;

namespace MediaWorker.Plugins.Gemini.Tests.Embeddings;

public sealed class EmbedHandlerTests : RigTests
{
    [Test]
    public async Task Text_IsEmbeddedWithEmbedContent_IntoAJsonFile()
    {
        var context = Rig.Context("embed", new JsonObject { ["text"] = "hello world", ["task_type"] = "RETRIEVAL_QUERY", ["dimensions"] = 16 });

        var output = await TestJobContextRun(context);

        Assert.That(output["dims"]!.GetValue<int>(), Is.EqualTo(16));
        Assert.That(output["count"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(output["format"]!.GetValue<string>(), Is.EqualTo("json"));
        var path = output["path"]!.GetValue<string>();
        Assert.That(path, Is.EqualTo(Path.Combine(context.Files.OutputDirectory, "embeddings.json")));
        var file = JsonNode.Parse(File.ReadAllText(path))!;
        Assert.That(file["model"]!.GetValue<string>(), Is.EqualTo("fake-embed"));
        Assert.That(file["items"]![0]!["vector"]!.AsArray().Select(v => v!.GetValue<float>()), Is.EqualTo(FakeGeminiServer.VectorOf("hello world", 16)));
        var sent = Rig.Server.RequestsTo("embedContent").Single().Body!;
        Assert.That(sent["taskType"]!.GetValue<string>(), Is.EqualTo("RETRIEVAL_QUERY"));
        Assert.That(sent["outputDimensionality"]!.GetValue<int>(), Is.EqualTo(16));
        Assert.That(Rig.Server.Violations, Is.Empty);
    }

    [Test]
    public async Task TranscriptSegments_AreBatchedByHundred_IntoAFloat32FileWithAnIndex()
    {
        var input = Rig.WriteInput("long/transcript.json", Samples.TranscriptJson(segments: 150, segmentSeconds: 2));
        var context = Rig.Context("embed", new JsonObject { ["input_path"] = input, ["format"] = "f32", ["output_path"] = "vectors/talk.f32" });

        var output = await TestJobContextRun(context);

        Assert.That(output["count"]!.GetValue<int>(), Is.EqualTo(150));
        Assert.That(output["granularity"]!.GetValue<string>(), Is.EqualTo("segment"));
        Assert.That(Rig.Server.RequestsTo("batchEmbedContents").Select(r => r.Body!["requests"]!.AsArray().Count), Is.EqualTo(new[] { 100, 50 }));
        var bytes = File.ReadAllBytes(output["path"]!.GetValue<string>());
        Assert.That(Encoding.ASCII.GetString(bytes, 0, 8), Is.EqualTo("MWEMBF32"));
        Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8)), Is.EqualTo(1));
        Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(12)), Is.EqualTo(150));
        Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(16)), Is.EqualTo(8));
        Assert.That(bytes, Has.Length.EqualTo(24 + (150 * 8 * 4)));
        var row149 = Enumerable.Range(0, 8).Select(d => BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(24 + (((149 * 8) + d) * 4))));
        Assert.That(row149, Is.EqualTo(FakeGeminiServer.VectorOf(Samples.SegmentText(149), 8)));
        var index = JsonNode.Parse(File.ReadAllText(output["index_path"]!.GetValue<string>()))!;
        Assert.That(index["items"]![149]!["start"]!.GetValue<double>(), Is.EqualTo(298));
        Assert.That(index["vectors_file"]!.GetValue<string>(), Is.EqualTo("talk.f32"));
        Assert.That(Rig.Server.Violations, Is.Empty);
    }

    [Test]
    public async Task TranscriptAsOneDocument_WithATitle_GivesOneVector()
    {
        var input = Rig.WriteInput("transcript.json", Samples.TranscriptJson());

        var output = await Rig.RunAsync("embed", new JsonObject { ["input_path"] = input, ["granularity"] = "document", ["title"] = "Talk" });

        Assert.That(output["count"]!.GetValue<int>(), Is.EqualTo(1));
        var sent = Rig.Server.RequestsTo("embedContent").Single().Body!;
        Assert.That(sent["title"]!.GetValue<string>(), Is.EqualTo("Talk"));
        Assert.That(sent["content"]!["parts"]![0]!["text"]!.GetValue<string>(), Does.StartWith("Segment 0 talks"));
    }

    [Test]
    public async Task A503ThenSuccess_IsRetriedInsideTheCall()
    {
        Rig.Server.Enqueue("embedContent", FakeReply.Error(503, "UNAVAILABLE", "overloaded"));

        var output = await Rig.RunAsync("embed", new JsonObject { ["text"] = "retry me" });

        Assert.That(output["count"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(Rig.Server.RequestsTo("embedContent").Count(), Is.EqualTo(2));
    }

    [TestCase("""{"text":"x","title":"T","task_type":"CLUSTERING"}""", "'title' only applies to task_type RETRIEVAL_DOCUMENT")]
    [TestCase("""{"text":"x","granularity":"segment"}""", "granularity 'segment' needs a transcript.json")]
    [TestCase("""{"input_path":"clip.mp4"}""", "transcribe it with the speech plugin first")]
    [TestCase("""{"text":"x","output_path":"/etc/vectors.json"}""", "output_path")]
    public void BadRequests_FailPermanently(string parameters, string expected)
    {
        Rig.WriteInput("clip.mp4", "x");

        var ex = Assert.ThrowsAsync<PermanentJobException>(() => Rig.RunAsync("embed", (JsonObject)JsonNode.Parse(parameters)!));

        Assert.That(ex!.Message, Does.Contain(expected));
    }

    private Task<JsonObject> TestJobContextRun(MediaWorker.Testing.TestJobContext context) => Rig.RunAsync(context);
}
