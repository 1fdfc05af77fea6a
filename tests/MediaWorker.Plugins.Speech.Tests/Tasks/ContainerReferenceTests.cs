using System.Text.Json.Nodes;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.Speech.Tests.Support;
using MediaWorker.Testing;
using NUnit.Framework;

namespace MediaWorker.Plugins.Speech.Tests.Tasks;

/// <summary>
/// transcribe hands its input to ffmpeg. A playlist or concat list, whatever its name, must not
/// make it transcribe a file outside the sandbox; one whose files are all inside is transcribed.
/// </summary>
public sealed class ContainerReferenceTests
{
    private const string Rule = "A playlist or list is read only when every file it names is inside the sandbox, by the same rules as input_path.";

    private TempDirectory _root = null!;
    private TempDirectory _outside = null!;
    private string _secret = null!;
    private ITaskHandler _handler = null!;

    [OneTimeSetUp]
    public void CreateHandler() => _handler = SpeechHandlers.For("transcribe");

    [SetUp]
    public void CreateFolders()
    {
        _root = new TempDirectory("speech-references");
        _outside = new TempDirectory("speech-outside");
        _secret = _outside.Combine("secret.wav");
        File.Copy(SpeechAssets.SentenceWav, _secret);
    }

    [TearDown]
    public void DeleteFolders()
    {
        _root.Dispose();
        _outside.Dispose();
    }

    [TestCase("renamed.wav", "hls")]
    [TestCase("playlist.m3u8", "hls")]
    [TestCase("list.ffconcat", "concat")]
    [TestCase("list.mp3", "concat")]
    public void AnInputNamingAFileOutsideTheSandbox_IsRefused_NamingTheRule(string name, string kind)
    {
        var input = _root.Combine(name);
        File.WriteAllText(input, kind == "hls"
            ? $"#EXTM3U\n#EXT-X-TARGETDURATION:11\n#EXTINF:11.0,\n{_secret}\n#EXT-X-ENDLIST\n"
            : $"ffconcat version 1.0\nfile '{_secret}'\n");
        var job = new TestJobContext(_root.Path, "transcribe", new JsonObject { ["input_path"] = input });

        var ex = Assert.ThrowsAsync<PermanentJobException>(() => TestJobContext.RunAsync(_handler, job));

        Assert.That(ex!.Message, Does.StartWith($"input_path: '{input}' is refused: it is ").And.Contain(_secret).And.EndWith(Rule));
        Assert.That(Directory.Exists(job.Files.OutputDirectory) ? Directory.GetFiles(job.Files.OutputDirectory) : [], Is.Empty, "no transcript was written");
    }

    [Test]
    public async Task AConcatListOfFilesInside_IsTranscribed()
    {
        File.Copy(SpeechAssets.SentenceWav, _root.Combine("part.wav"));
        var input = _root.Combine("parts.ffconcat");
        // A concat list states its entries' durations, or ffprobe reports none for the whole.
        var seconds = SpeechAssets.SentenceSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);
        File.WriteAllText(input, $"ffconcat version 1.0\nfile 'part.wav'\nduration {seconds}\nfile 'part.wav'\nduration {seconds}\n");
        var job = new TestJobContext(_root.Path, "transcribe", new JsonObject { ["input_path"] = input });

        var output = await TestJobContext.RunAsync(_handler, job);

        Assert.That((double)output["duration"]!, Is.EqualTo(2 * SpeechAssets.SentenceSeconds).Within(0.05));
    }
}
