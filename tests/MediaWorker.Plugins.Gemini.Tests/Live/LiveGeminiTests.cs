using System.Text.Json.Nodes;
using MediaWorker.Plugins.Gemini.Tests.Support;
using NUnit.Framework;

namespace MediaWorker.Plugins.Gemini.Tests.Live;

/// <summary>
/// Against the real Gemini API; runs only when GEMINI_API_KEY is set (and GEMINI_BASE_URL /
/// GEMINI_MODEL / GEMINI_EMBED_MODEL, when set, are used), and is skipped otherwise.
/// </summary>
[Category("Live")]
public sealed class LiveGeminiTests
{
    private GeminiRig _rig = null!;

    [SetUp]
    public async Task SetUp()
    {
        var key = Environment.GetEnvironmentVariable("GEMINI_API_KEY");
        if (string.IsNullOrEmpty(key))
        {
            Assert.Ignore("GEMINI_API_KEY is not set: the live Gemini tests are skipped.");
        }

        _rig = await GeminiRig.StartAsync();
        _rig.Settings.Clear();
        foreach (var name in new[] { "GEMINI_API_KEY", "GEMINI_BASE_URL", "GEMINI_MODEL", "GEMINI_DEEP_MODEL", "GEMINI_EMBED_MODEL" })
        {
            _rig.Settings[name] = Environment.GetEnvironmentVariable(name);
        }
    }

    [TearDown]
    public async Task TearDown()
    {
        if (_rig is not null)
        {
            await _rig.DisposeAsync();
        }
    }

    [Test]
    public async Task AiAnalyze_OnATranscript_ReturnsAValidatedAnalysis()
    {
        var input = _rig.WriteInput("transcript.json", Samples.TranscriptJson());

        var output = await _rig.RunAsync("ai_analyze", new JsonObject { ["input_path"] = input });

        Assert.That(output["title"]!.GetValue<string>(), Is.Not.Empty);
        Assert.That(output["timeline"]!.AsArray(), Is.Not.Empty);
        Assert.That(output["tokenUsage"]!["totalTokens"]!.GetValue<int>(), Is.GreaterThan(0));
    }

    [Test]
    public async Task Embed_Text_ReturnsVectorsOfTheRequestedSize()
    {
        var output = await _rig.RunAsync("embed", new JsonObject { ["text"] = "A short sentence to embed.", ["dimensions"] = 256 });

        Assert.That(output["dims"]!.GetValue<int>(), Is.EqualTo(256));
    }

    [Test]
    public async Task HighlightDetect_OnAGeneratedClip_ScoresWithGemini()
    {
        var input = await TestMedia.CopyIntoAsync(_rig, TestMedia.LoudClip(), "loud.mp4");

        var output = await _rig.RunAsync("highlight_detect", new JsonObject { ["input_path"] = input, ["scoring"] = "gemini", ["segment_strategy"] = "fixed", ["window_seconds"] = 15 });

        Assert.That(output["scoring"]!.GetValue<string>(), Is.EqualTo("gemini"));
        Assert.That(output["segments"]!.AsArray(), Has.Count.EqualTo(3));
    }
}
