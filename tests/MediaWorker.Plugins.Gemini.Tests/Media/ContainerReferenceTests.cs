using System.Text.Json.Nodes;
using MediaWorker.Ffmpeg;
using MediaWorker.Ffmpeg.Running;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.Gemini.Tests.Support;
using MediaWorker.Testing;
using NUnit.Framework;

namespace MediaWorker.Plugins.Gemini.Tests.Media;

/// <summary>
/// ai_analyze and highlight_detect hand their input to ffmpeg (probe, audio extraction, scenes,
/// loudness). A playlist or concat list named like a video must not make ffmpeg read, and the
/// plugin upload to Gemini, a file outside the sandbox.
/// </summary>
public sealed class ContainerReferenceTests : RigTests
{
    private const string Rule = "A playlist or list is read only when every file it names is inside the sandbox, by the same rules as input_path.";

    private static TempDirectory _outside = null!;
    private static string _secret = null!;

    [OneTimeSetUp]
    public static async Task MakeTheSecretAsync()
    {
        _outside = new TempDirectory("mw-gemini-outside");
        _secret = _outside.Combine("secret.ts");
        await new FfmpegRunner(FfmpegToolPaths.Default).RunAsync(
            ["-f", "lavfi", "-i", "testsrc=s=64x48:r=10:d=2", "-f", "lavfi", "-i", "sine=f=440:d=2", "-c:v", "mpeg2video", "-c:a", "mp2", "-f", "mpegts", _secret],
            null,
            CancellationToken.None);
    }

    [OneTimeTearDown]
    public static void DeleteTheSecret() => _outside.Dispose();

    public static IEnumerable<TestCaseData> Escapes()
    {
        foreach (var task in new[] { "ai_analyze", "highlight_detect" })
        {
            yield return new TestCaseData(task, "renamed.mp4", (Func<string>)(() => $"#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2.0,\n{_secret}\n#EXT-X-ENDLIST\n")).SetArgDisplayNames(task, "HLS playlist renamed .mp4");
            yield return new TestCaseData(task, "list.mp4", (Func<string>)(() => $"ffconcat version 1.0\nfile '{_secret}'\n")).SetArgDisplayNames(task, "concat list renamed .mp4");
        }
    }

    [TestCaseSource(nameof(Escapes))]
    public void AnInputNamingAFileOutsideTheSandbox_IsRefused_NamingTheRule_BeforeAnythingIsUploaded(string task, string name, Func<string> content)
    {
        Rig.Settings["GEMINI_API_KEY"] = task == "highlight_detect" ? null : Rig.Settings["GEMINI_API_KEY"];
        var input = Rig.WriteInput(name, content());
        var parameters = new JsonObject { ["input_path"] = input };

        var ex = Assert.ThrowsAsync<PermanentJobException>(() => Rig.RunAsync(task, parameters));

        Assert.That(ex!.Message, Does.StartWith("input_path: '").And.Contain("' is refused: it is ").And.Contain(_secret).And.EndWith(Rule));
        Assert.That(Rig.Server.Requests, Is.Empty, "nothing reached Gemini");
    }

    [Test]
    public async Task APlaylistWhoseSegmentsAreInside_IsAnalysed()
    {
        Rig.Settings["GEMINI_API_KEY"] = null;
        Rig.WriteInput("inside.ts", File.ReadAllBytes(_secret));
        var input = Rig.WriteInput("inside.mp4", "#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2.0,\ninside.ts\n#EXT-X-ENDLIST\n");

        var output = await Rig.RunAsync("highlight_detect", new JsonObject { ["input_path"] = input, ["segment_strategy"] = "fixed", ["window_seconds"] = 1 });

        Assert.That(output["scoring"]!.GetValue<string>(), Is.EqualTo("rules"));
        Assert.That(output["segments"]!.AsArray(), Has.Count.EqualTo(2));
    }
}
