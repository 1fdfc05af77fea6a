using System.Text.Json.Nodes;
using MediaWorker.Testing;
using MediaWorker.Tests.Support;
using NUnit.Framework;

namespace MediaWorker.Tests.ComputeService;

/// <summary>
/// The SDK's compute integration tests, ported: for each task the seed served and we serve,
/// upload, poll until completed, check the output, download through /files, delete. The jobs run
/// in a real worker process from ./publish with the real plugins.
/// </summary>
[NonParallelizable]
public sealed class ComputeApiTaskTests
{
    private const string Tasks = "exif,hash,image_conversion,media_thumbnail,hls_streaming";
    private static readonly TimeSpan JobTimeout = TimeSpan.FromMinutes(2);
    private DaemonEnvironment _env = null!;
    private ComputeApiServer _api = null!;
    private TempDirectory _media = null!;
    private string _jpeg = null!;
    private string _video = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _env = new DaemonEnvironment();
        _env.Environment["PLUGIN_DIR"] = RepoPaths.PublishedPlugins;
        _media = new TempDirectory("mw-compute-media");
        _jpeg = await TestMedia.JpegAsync(_media.Path);
        _video = await TestMedia.VideoAsync(_media.Path);
        _api = await ComputeApiServer.StartAsync(_env);
        var worker = _env.StartWorker("w-compute", "--tasks", Tasks, "--concurrency", "2");
        Assert.That(await worker.WaitForOutputAsync("Worker w-compute started", TimeSpan.FromSeconds(60)), Is.True, worker.OutputText);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _api.DisposeAsync();
        _env.Dispose();
        _media.Dispose();
    }

    [Test]
    public async Task Exif_CompletesWithMetadata_AndTheUploadDownloads()
    {
        var job = await RunAsync("exif", _jpeg, new Dictionary<string, string> { ["tags"] = "Make, Model,ImageWidth" });
        Assert.That(job["params"]!["input_path"]!.GetValue<string>(), Is.EqualTo("input/photo.jpg"));
        Assert.That(job["params"]!["tags"]!.AsArray().Select(t => t!.GetValue<string>()), Is.EqualTo(new[] { "make", "model", "dimensions" }));
        Assert.That(job["task_output"], Is.InstanceOf<JsonObject>());
        Assert.That(await DownloadAsync(job, "input/photo.jpg"), Is.EqualTo(await File.ReadAllBytesAsync(_jpeg)));
        await DeleteAsync(job);
    }

    [Test]
    public async Task Hash_DefaultsToSha512_AsTheSeed()
    {
        var job = await RunAsync("hash", _jpeg);
        var output = job["task_output"]!.AsObject();
        Assert.That(output["algorithm"]!.GetValue<string>(), Is.EqualTo("sha512"));
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA512.HashData(await File.ReadAllBytesAsync(_jpeg)));
        Assert.That(output["hash"]!.GetValue<string>(), Is.EqualTo(expected));
        Assert.That(await DownloadAsync(job, "input/photo.jpg"), Has.Length.EqualTo(new FileInfo(_jpeg).Length));
        await DeleteAsync(job);
    }

    [Test]
    public async Task ImageConversion_WritesTheSeedsOutputPath()
    {
        var job = await RunAsync("image_conversion", _jpeg, new Dictionary<string, string> { ["format"] = "png" });
        Assert.That(job["params"]!["output_path"]!.GetValue<string>(), Is.EqualTo("output/converted_photo.png"));
        Assert.That(job["params"]!["format"]!.GetValue<string>(), Is.EqualTo("png"));
        Assert.That(job["params"]!["quality"]!.GetValue<int>(), Is.EqualTo(85));
        var png = await DownloadAsync(job, "output/converted_photo.png");
        Assert.That(png.Take(4), Is.EqualTo(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }));
        await DeleteAsync(job);
    }

    [Test]
    public async Task MediaThumbnail_OfAnImage_FitsTheBox()
    {
        var job = await RunAsync("media_thumbnail", _jpeg, new Dictionary<string, string> { ["width"] = "128", ["height"] = "128" });
        Assert.That(job["params"]!["output_path"]!.GetValue<string>(), Is.EqualTo("output/thumbnail.jpg"));
        var jpeg = await DownloadAsync(job, "output/thumbnail.jpg");
        Assert.That(jpeg.Take(2), Is.EqualTo(new byte[] { 0xFF, 0xD8 }));
        var size = await ExternalTool.RunCheckedAsync("identify", "-format", "%wx%h", Path.Combine(_api.JobFolder(job["job_id"]!.GetValue<string>()), "output", "thumbnail.jpg"));
        Assert.That(size, Is.EqualTo("128x96"));
        await DeleteAsync(job);
    }

    [Test]
    public async Task MediaThumbnail_OfAVideo_Completes()
    {
        var job = await RunAsync("media_thumbnail", _video, new Dictionary<string, string> { ["width"] = "256" });
        Assert.That(job["task_output"]!["source"]!.GetValue<string>(), Is.EqualTo("video"));
        Assert.That((await DownloadAsync(job, "output/thumbnail.jpg")).Take(2), Is.EqualTo(new byte[] { 0xFF, 0xD8 }));
        await DeleteAsync(job);
    }

    [Test]
    public async Task HlsStreaming_MakesAMasterPlaylist_FromTheSeedsDefaultVariants()
    {
        var job = await RunAsync("hls_streaming", _video);
        var output = job["task_output"]!.AsObject();
        Assert.That(output.ContainsKey("master_playlist") && output.ContainsKey("variants_generated"), Is.True, output.ToJsonString());
        // 640x480: the seed's 720 tier is taller than the source and is skipped; 480 is made.
        Assert.That(output["variants_generated"]!.AsArray().Select(v => v!.GetValue<string>()), Is.EqualTo(new[] { "480p" }));
        var master = System.Text.Encoding.UTF8.GetString(await DownloadAsync(job, "output/master.m3u8"));
        Assert.That(master, Does.StartWith("#EXTM3U"));
        Assert.That(output["master_playlist"]!.GetValue<string>(), Is.EqualTo(Path.Combine(_api.JobFolder(job["job_id"]!.GetValue<string>()), "output", "master.m3u8")));
        await DeleteAsync(job);
    }

    [Test]
    public async Task HlsStreaming_ByAbsolutePath_WritesIntoTheJobsFolder()
    {
        var inside = Path.Combine(_env.ServerDirectory, "library");
        Directory.CreateDirectory(inside);
        var video = Path.Combine(inside, "clip.mp4");
        File.Copy(_video, video, overwrite: true);
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["input_absolute_path"] = video,
            ["variants"] = """[{"resolution":240,"bitrate":null}]""",
        });
        using var response = await _api.Client.PostAsync("jobs/hls_streaming", content);
        var body = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(200), body);
        var jobId = JsonNode.Parse(body)!["job_id"]!.GetValue<string>();
        var job = await _api.WaitForJobAsync(jobId, JobTimeout);
        Assert.That(job["status"]!.GetValue<string>(), Is.EqualTo("completed"), job.ToJsonString());
        Assert.That(job["params"]!["variants"]!.ToJsonString(), Is.EqualTo("""[{"resolution":"240p","bitrate":"800k"}]"""));
        Assert.That(File.Exists(Path.Combine(_api.JobFolder(jobId), "output", "master.m3u8")), Is.True);
        await DeleteAsync(job);
    }

    [Test]
    public async Task AFailedJob_ReadsFailed_WithAnActionableMessage()
    {
        var notAnImage = Path.Combine(_media.Path, "notes.jpg");
        await File.WriteAllTextAsync(notAnImage, "this is text, not a JPEG");
        var job = await _api.WaitForJobAsync(await _api.SubmitOkAsync("image_conversion", notAnImage, new Dictionary<string, string> { ["format"] = "webp" }), JobTimeout);
        Assert.That(job["status"]!.GetValue<string>(), Is.EqualTo("failed"));
        Assert.That(job["error_message"]!.GetValue<string>(), Does.Contain("input/notes.jpg"));
        Assert.That(job["task_output"], Is.Null);
        await DeleteAsync(job);
    }

    [Test]
    public async Task AJobSubmittedHere_IsListedByTheCli_AndACliJob_IsReadHere()
    {
        var jobId = await _api.SubmitOkAsync("hash", _jpeg, new Dictionary<string, string> { ["algorithm"] = "md5", ["priority"] = "7" });
        var (exit, listing) = await _env.CliAsync("jobs", "--task", "hash");
        Assert.That(exit, Is.EqualTo(0), listing);
        Assert.That(listing, Does.Contain(jobId));
        var (shown, row) = await _env.CliAsync("job", jobId);
        Assert.That(shown, Is.EqualTo(0), row);
        Assert.That(row, Does.Contain("\"md5\"").And.Contain("input/photo.jpg"));

        var inside = Path.Combine(_env.ServerDirectory, "cli-photo.jpg");
        File.Copy(_jpeg, inside, overwrite: true);
        var (submitted, output) = await _env.CliAsync("submit", "hash", "--param", $"input_path={inside}", "--priority", "3");
        Assert.That(submitted, Is.EqualTo(0), output);
        var cliJob = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1].Trim();
        var job = await _api.WaitForJobAsync(cliJob, JobTimeout);
        Assert.That(job["status"]!.GetValue<string>(), Is.EqualTo("completed"), job.ToJsonString());
        Assert.That(job["priority"]!.GetValue<long>(), Is.EqualTo(3));
        Assert.That(job["params"]!["input_path"]!.GetValue<string>(), Is.EqualTo(inside));
        await DeleteAsync(await _api.WaitForJobAsync(jobId, JobTimeout));
    }

    private async Task<JsonObject> RunAsync(string task, string file, Dictionary<string, string>? fields = null)
    {
        var jobId = await _api.SubmitOkAsync(task, file, fields);
        var job = await _api.WaitForJobAsync(jobId, JobTimeout);
        Assert.That(job["status"]!.GetValue<string>(), Is.EqualTo("completed"), job.ToJsonString());
        Assert.That(job["progress"]!.GetValue<long>(), Is.EqualTo(100));
        Assert.That(job["task_output"], Is.InstanceOf<JsonObject>());
        Assert.That(job["created_at"]!.GetValue<long>(), Is.GreaterThan(1_600_000_000_000L), "epoch milliseconds");
        Assert.That(job["completed_at"]!.GetValue<long>(), Is.GreaterThanOrEqualTo(job["started_at"]!.GetValue<long>()));
        return job;
    }

    private async Task<byte[]> DownloadAsync(JsonObject job, string path)
    {
        using var response = await _api.Client.GetAsync($"jobs/{job["job_id"]!.GetValue<string>()}/files/{path}");
        Assert.That((int)response.StatusCode, Is.EqualTo(200), await response.Content.ReadAsStringAsync());
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/octet-stream"));
        return await response.Content.ReadAsByteArrayAsync();
    }

    private async Task DeleteAsync(JsonObject job)
    {
        var jobId = job["job_id"]!.GetValue<string>();
        using (var deleted = await _api.Client.DeleteAsync($"jobs/{jobId}"))
        {
            Assert.That((int)deleted.StatusCode, Is.EqualTo(204));
        }

        using var gone = await _api.Client.GetAsync($"jobs/{jobId}");
        Assert.That((int)gone.StatusCode, Is.EqualTo(404));
        Assert.That(JsonNode.Parse(await gone.Content.ReadAsStringAsync())!["detail"]!.GetValue<string>(), Is.EqualTo($"Job {jobId} not found"));
        Assert.That(Directory.Exists(_api.JobFolder(jobId)), Is.False);
    }
}
