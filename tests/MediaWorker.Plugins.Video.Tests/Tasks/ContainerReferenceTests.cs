using System.Text.Json.Nodes;
using MediaWorker.Ffmpeg;
using MediaWorker.Ffmpeg.Running;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.Video.Tasks;
using MediaWorker.Plugins.Video.Tests.Support;
using MediaWorker.Testing;
using NUnit.Framework;

namespace MediaWorker.Plugins.Video.Tests.Tasks;

/// <summary>
/// Containers and protocols that name other files (HLS, DASH, concat lists and the concat and
/// subfile protocols, image sequences) must not carry a job outside its sandbox: the secret lies
/// outside the allowed roots, and no task may read or describe it.
/// </summary>
public sealed class ContainerReferenceTests
{
    private const string Rule = "A playlist or list is read only when every file it names is inside the sandbox, by the same rules as input_path.";

    private static TempDirectory _outside = null!;
    private static string _inside = null!;
    private static string _secret = null!;

    public static IEnumerable<TestCaseData> Escapes()
    {
        var cases = new (string Name, Func<string> Make)[]
        {
            ("HLS playlist naming an outside segment", () => Hls("plain.m3u8", _secret)),
            ("HLS playlist renamed .mp4", () => Hls("renamed.mp4", _secret)),
            ("HLS playlist naming a file:// URL", () => Hls("file-url.m3u8", "file://" + _secret)),
            ("HLS playlist naming a link that leads out", () => Hls("link.m3u8", Link("out-link.ts"))),
            ("HLS master naming a variant that names an outside segment", () => Write("master.m3u8", $"#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=100000\n{Path.GetFileName(Hls("variant.m3u8", _secret))}\n")),
            ("HLS playlist naming an outside key", () => Write("key.m3u8", $"#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-KEY:METHOD=AES-128,URI=\"{_outside.Combine("key.bin")}\"\n#EXTINF:1.0,\nseg.ts\n#EXT-X-ENDLIST\n")),
            ("HLS playlist naming a concat: URL", () => Hls("concat-protocol.m3u8", $"concat:{_secret}|{_secret}")),
            ("HLS playlist naming a subfile URL", () => Hls("subfile.m3u8", $"subfile,,start,0,end,0,,:{_secret}")),
            ("HLS playlist naming an http URL", () => Hls("http.m3u8", "http://127.0.0.1:9/secret.ts")),
            ("concat list naming an outside file", () => Write("absolute.ffconcat", $"ffconcat version 1.0\nfile '{_secret}'\n")),
            ("concat list naming a link that leads out", () => Write("link.txt", $"ffconcat version 1.0\nfile {Path.GetFileName(Link("list-link.ts"))}\n")),
            ("concat list naming a concat: URL", () => Write("protocol.ffconcat", $"ffconcat version 1.0\nfile 'concat:{_secret}|{_secret}'\n")),
            ("DASH manifest", () => Write("manifest.mpd", Dash())),
            ("DASH manifest renamed .mp4", () => Write("manifest.mp4", Dash())),
        };
        foreach (var (name, make) in cases)
        {
            foreach (var task in new[] { "transcode", "video_probe" })
            {
                yield return new TestCaseData(task, make).SetArgDisplayNames(task, name);
            }
        }
    }

    [OneTimeSetUp]
    public static async Task MakeTheFilesAsync()
    {
        _outside = new TempDirectory("mw-outside");
        _inside = Path.Combine(VideoTestSetUp.Root, "references");
        Directory.CreateDirectory(_inside);
        _secret = _outside.Combine("secret.ts");
        var ffmpeg = new FfmpegRunner(FfmpegToolPaths.Default);
        await Task.WhenAll(
            Segment(ffmpeg, _secret, "48x32", "red"),
            Segment(ffmpeg, Path.Combine(_inside, "seg.ts"), "64x48", "green"),
            ffmpeg.RunAsync(["-f", "lavfi", "-i", "color=c=red:s=48x32", "-frames:v", "1", _outside.Combine("secret.png")], null, CancellationToken.None),
            ffmpeg.RunAsync(["-f", "lavfi", "-i", "color=c=green:s=32x32", "-frames:v", "1", "-update", "1", Path.Combine(_inside, "shot%02d.png")], null, CancellationToken.None));
        await File.WriteAllBytesAsync(_outside.Combine("key.bin"), new byte[16]);
    }

    [OneTimeTearDown]
    public static void DeleteOutside() => _outside.Dispose();

    [TestCaseSource(nameof(Escapes))]
    public void AReferenceOutsideTheSandbox_IsRefused_NamingTheRule(string task, Func<string> make)
    {
        var input = make();
        var handler = Handler(task);

        var ex = Assert.ThrowsAsync<PermanentJobException>(() => VideoJobs.RunAsync(handler, new JsonObject { ["input_path"] = input }));

        Assert.That(ex!.Message, Does.StartWith($"input_path: '{input}' is refused: it is "));
        Assert.That(ex.Message, Does.Contain(Rule).Or.Contain("only HLS playlists and concat lists are read, and only when every file they name is inside the sandbox"));
    }

    [Test]
    public void TheRefusal_NamesTheFileAndWhyItIsRefused()
    {
        var playlist = Hls("named.mp4", _secret);

        var ex = Assert.ThrowsAsync<PermanentJobException>(() => VideoJobs.RunAsync(Handler("video_probe"), new JsonObject { ["input_path"] = playlist }));

        Assert.That(ex!.Message, Does.StartWith($"input_path: '{playlist}' is refused: it is an HLS playlist that names '{_secret}': that file '{_secret}' is refused: it is outside the allowed roots"));
    }

    [TestCase("transcode")]
    [TestCase("video_probe")]
    public async Task AnHlsPlaylistInsideTheSandbox_IsRead(string task)
    {
        var master = Write("inside-master.m3u8", $"#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=100000\n{Path.GetFileName(Hls("inside-variant.m3u8", "seg.ts"))}\n");

        var (output, _) = await VideoJobs.RunAsync(Handler(task), new JsonObject { ["input_path"] = master });

        Assert.That(Width(output, task), Is.EqualTo(64), "the inside segment, not the secret, was read");
    }

    [TestCase("transcode")]
    [TestCase("video_probe")]
    public async Task AConcatListInsideTheSandbox_IsRead(string task)
    {
        var list = Write("inside.ffconcat", "ffconcat version 1.0\nfile seg.ts\nduration 1\nfile 'seg.ts'\nduration 1\n");

        var (output, _) = await VideoJobs.RunAsync(Handler(task), new JsonObject { ["input_path"] = list });

        Assert.That(Width(output, task), Is.EqualTo(64));
    }

    [TestCase("transcode")]
    [TestCase("video_probe")]
    public async Task AnImageWhoseNameIsASequencePattern_IsReadAsThatOneImage(string task)
    {
        // shot01.png, which the pattern shot%02d.png would read first, leads outside.
        File.CreateSymbolicLink(Path.Combine(_inside, "shot01.png"), _outside.Combine("secret.png"));
        try
        {
            var (output, _) = await VideoJobs.RunAsync(Handler(task), new JsonObject { ["input_path"] = Path.Combine(_inside, "shot%02d.png") });

            Assert.That(Width(output, task), Is.EqualTo(32), "the named image, not the sequence");
        }
        finally
        {
            File.Delete(Path.Combine(_inside, "shot01.png"));
        }
    }

    [Test]
    public void ConcatProtocolAsTheInputPath_IsNeverAProtocol()
    {
        var ex = Assert.ThrowsAsync<PermanentJobException>(() => VideoJobs.RunAsync(Handler("video_probe"), new JsonObject { ["input_path"] = $"concat:{_secret}|{_secret}" }));

        Assert.That(ex!.Message, Does.StartWith($"input_path 'concat:{_secret}|{_secret}' does not exist"));
    }

    private static int Width(JsonObject output, string task) =>
        task == "transcode" ? output["width"]!.GetValue<int>() : output["video"]!["width"]!.GetValue<int>();

    private static ITaskHandler Handler(string task) => task == "transcode"
        ? new TranscodeHandler(VideoJobs.Services())
        : new VideoProbeHandler(VideoJobs.Services());

    private static string Hls(string name, string segment) =>
        Write(name, $"#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n#EXTINF:1.0,\n{segment}\n#EXT-X-ENDLIST\n");

    private static string Dash() => $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <MPD xmlns="urn:mpeg:dash:schema:mpd:2011" profiles="urn:mpeg:dash:profile:isoff-on-demand:2011" type="static" mediaPresentationDuration="PT1S" minBufferTime="PT1S">
          <Period>
            <AdaptationSet mimeType="video/mp2t">
              <Representation id="1" bandwidth="100000" width="48" height="32">
                <BaseURL>file://{_secret}</BaseURL>
              </Representation>
            </AdaptationSet>
          </Period>
        </MPD>
        """;

    private static string Link(string name)
    {
        var path = Path.Combine(_inside, name);
        if (!File.Exists(path))
        {
            File.CreateSymbolicLink(path, _secret);
        }

        return path;
    }

    private static string Write(string name, string text)
    {
        var path = Path.Combine(_inside, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static Task<FfmpegResult> Segment(FfmpegRunner ffmpeg, string path, string size, string colour) => ffmpeg.RunAsync(
        ["-f", "lavfi", "-i", $"color=c={colour}:s={size}:r=25:d=1", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-f", "mpegts", path],
        null,
        CancellationToken.None);
}
