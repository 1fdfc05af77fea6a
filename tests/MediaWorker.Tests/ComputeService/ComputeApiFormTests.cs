using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Dapper;
using NUnit.Framework;

namespace MediaWorker.Tests.ComputeService;

/// <summary>
/// The job forms without a worker: fields and defaults as the seed's routes, 422/400/413 answers,
/// refused seed tasks, and hostile uploads. A refused request leaves no row and no folder.
/// </summary>
public sealed class ComputeApiFormTests
{
    private ComputeApiScene _scene = null!;

    [SetUp]
    public async Task StartAsync() => _scene = await ComputeApiScene.StartAsync(new Dictionary<string, string?> { ["COMPUTE_UPLOAD_MAX_MB"] = "1" });

    [TearDown]
    public async Task StopAsync() => await _scene.DisposeAsync();

    [Test]
    public async Task Root_IsTheSeedsHealthAnswer()
    {
        var json = JsonNode.Parse(await _scene.Api.Client.GetStringAsync(""))!.ToJsonString();
        Assert.That(json, Is.EqualTo("""{"status":"healthy","service":"Task Server","version":"v1","guestMode":"on","auth_required":false}"""));
    }

    [Test]
    public async Task Submit_StoresTheUploadInTheJobsInputFolder_WithTheSeedsParams()
    {
        var jobId = await _scene.Api.SubmitOkAsync("media_thumbnail", _scene.Jpeg, new Dictionary<string, string> { ["height"] = "64", ["priority"] = "9" });
        Assert.That(File.ReadAllBytes(Path.Combine(_scene.Api.JobFolder(jobId), "input", "photo.jpg")), Is.EqualTo(File.ReadAllBytes(_scene.Jpeg)));
        var job = await _scene.Api.GetJobAsync(jobId);
        Assert.That(job["status"]!.GetValue<string>(), Is.EqualTo("queued"));
        Assert.That(job["priority"]!.GetValue<long>(), Is.EqualTo(9));
        Assert.That(job["params"]!.ToJsonString(), Is.EqualTo("""{"input_path":"input/photo.jpg","output_path":"output/thumbnail.jpg","width":65535,"height":64}"""));
        Assert.That(job["task_output"], Is.Null);
        Assert.That(job["started_at"], Is.Null);
        using var connection = _scene.Env.Open();
        Assert.That(connection.ExecuteScalar<string?>("SELECT created_by FROM jobs WHERE job_id = @jobId", new { jobId }), Is.Null, "guest mode: no caller");
    }

    [TestCase("hash", "algorithm", "sha256", "literal_error")]
    [TestCase("hash", "priority", "11", "less_than_equal")]
    [TestCase("hash", "priority", "high", "int_parsing")]
    [TestCase("image_conversion", "quality", "0", "greater_than")]
    [TestCase("image_conversion", "format", "svg", "literal_error")]
    [TestCase("media_thumbnail", "width", "0", "greater_than")]
    [TestCase("media_thumbnail", "maintain_aspect_ratio", "maybe", "bool_parsing")]
    [TestCase("hls_streaming", "variants", "[{\"resolution\":720", "json_invalid")]
    [TestCase("hls_streaming", "variants", "[]", "value_error")]
    public async Task ABadField_Is422_NamingIt(string task, string field, string value, string type)
    {
        var fields = new Dictionary<string, string> { [field] = value };
        if (task == "image_conversion" && field != "format")
        {
            fields["format"] = "png";
        }

        using var response = await _scene.Api.SubmitAsync(task, _scene.Jpeg, fields);
        var body = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(422), body);
        var error = JsonNode.Parse(body)!["detail"]!.AsArray().Single()!;
        Assert.That(error["loc"]!.ToJsonString(), Is.EqualTo($"[\"body\",\"{field}\"]"));
        Assert.That(error["type"]!.GetValue<string>(), Is.EqualTo(type));
        AssertNothingStored();
    }

    [Test]
    public async Task MissingFileAndFormat_Are422_ListingBoth()
    {
        using var response = await _scene.Api.SubmitAsync("image_conversion", null, new Dictionary<string, string> { ["quality"] = "50" });
        var body = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(422), body);
        var fields = JsonNode.Parse(body)!["detail"]!.AsArray().Select(e => e!["loc"]![1]!.GetValue<string>()).Order().ToList();
        Assert.That(fields, Is.EqualTo(new[] { "file", "format" }));
        AssertNothingStored();
    }

    [Test]
    public async Task MaintainAspectRatioFalse_IsRefused_WithWhatToDo()
    {
        using var response = await _scene.Api.SubmitAsync("media_thumbnail", _scene.Jpeg, new Dictionary<string, string> { ["maintain_aspect_ratio"] = "false" });
        var body = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(422), body);
        Assert.That(body, Does.Contain("always keeps the aspect ratio"));
    }

    [Test]
    public async Task HlsWithNeitherFileNorPath_Is400_AsTheSeed()
    {
        using var response = await _scene.Api.SubmitAsync("hls_streaming", null);
        Assert.That((int)response.StatusCode, Is.EqualTo(400));
        Assert.That(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["detail"]!.GetValue<string>(), Is.EqualTo("Either file or input_absolute_path must be provided"));
        AssertNothingStored();
    }

    [TestCase("clip_embedding")]
    [TestCase("dino_embedding")]
    [TestCase("face_embedding")]
    [TestCase("face_detection")]
    public async Task SeedTasksNoWorkerServes_AreRefused_NamingTheTask(string task)
    {
        using var response = await _scene.Api.SubmitAsync(task, _scene.Jpeg);
        var detail = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["detail"]!.GetValue<string>();
        Assert.That((int)response.StatusCode, Is.EqualTo(501));
        Assert.That(detail, Does.Contain($"'{task}'").And.Contain("exif, hash, image_conversion, media_thumbnail, hls_streaming"));
        AssertNothingStored();
    }

    [Test]
    public async Task AnUnknownTask_Is404()
    {
        using var response = await _scene.Api.SubmitAsync("transmogrify", _scene.Jpeg);
        Assert.That((int)response.StatusCode, Is.EqualTo(404));
        AssertNothingStored();
    }

    [TestCase("../../../etc/cron.d/evil.jpg", "evil.jpg")]
    [TestCase("..\\..\\windows\\evil.jpg", "evil.jpg")]
    [TestCase("..", "upload")]
    [TestCase("line\nbreak\r\n.jpg", "linebreak.jpg")]
    [TestCase("tab\tand\u202Ebidi.jpg", "tabandbidi.jpg")]
    public async Task HostileUploadNames_AreStoredInsideInput_WithoutPathParts(string sent, string stored)
    {
        var jobId = await _scene.Api.SubmitNamedOkAsync("hash", _scene.Jpeg, sent);
        var job = await _scene.Api.GetJobAsync(jobId);
        Assert.That(job["params"]!["input_path"]!.GetValue<string>(), Is.EqualTo("input/" + stored));
        Assert.That(Directory.GetFiles(Path.Combine(_scene.Api.JobFolder(jobId), "input")).Select(Path.GetFileName), Is.EqualTo(new[] { stored }));
        Assert.That(Directory.GetFiles(_scene.Env.ServerDirectory, "evil.jpg", SearchOption.AllDirectories).All(f => f.Contains($"/jobs/{jobId}/input/", StringComparison.Ordinal)), Is.True);
    }

    [Test]
    public async Task AVeryLongName_IsCut_KeepingItsExtension()
    {
        var jobId = await _scene.Api.SubmitNamedOkAsync("hash", _scene.Jpeg, new string('é', 300) + ".jpeg");
        var stored = (await _scene.Api.GetJobAsync(jobId))["params"]!["input_path"]!.GetValue<string>();
        Assert.That(stored, Does.StartWith("input/é").And.EndWith(".jpeg"));
        Assert.That(System.Text.Encoding.UTF8.GetByteCount(Path.GetFileName(stored)), Is.LessThanOrEqualTo(200));
    }

    [Test]
    public async Task AnEmptyUpload_IsRefusedForMedia_ButHashesForHash()
    {
        var empty = Path.Combine(_scene.Media.Path, "empty.jpg");
        await File.WriteAllBytesAsync(empty, []);
        using (var response = await _scene.Api.SubmitAsync("exif", empty))
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.That((int)response.StatusCode, Is.EqualTo(422), body);
            Assert.That(body, Does.Contain("is empty (0 bytes)"));
        }

        AssertNothingStored();
        var jobId = await _scene.Api.SubmitOkAsync("hash", empty);
        Assert.That(new FileInfo(Path.Combine(_scene.Api.JobFolder(jobId), "input", "empty.jpg")).Length, Is.Zero);
    }

    [Test]
    public async Task AnOversizedUpload_Is413_AndLeavesNothing()
    {
        var big = Path.Combine(_scene.Media.Path, "big.bin");
        await File.WriteAllBytesAsync(big, new byte[(1024 * 1024) + 1]);
        using var response = await _scene.Api.SubmitAsync("hash", big);
        var body = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(413), body);
        Assert.That(body, Does.Contain("COMPUTE_UPLOAD_MAX_MB"));
        AssertNothingStored();

        var exactly = Path.Combine(_scene.Media.Path, "limit.bin");
        await File.WriteAllBytesAsync(exactly, new byte[1024 * 1024]);
        await _scene.Api.SubmitOkAsync("hash", exactly);
    }

    [Test]
    public async Task ANonFormBody_Is422()
    {
        using var content = new StringContent("""{"file":"x"}""", System.Text.Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
        using var response = await _scene.Api.Client.PostAsync("jobs/hash", content);
        Assert.That((int)response.StatusCode, Is.EqualTo(422));
        AssertNothingStored();
    }

    [Test]
    public async Task AdminRoutes_ReportStorage_AndCleanUpFinishedJobs()
    {
        var kept = await _scene.Api.SubmitOkAsync("hash", _scene.Jpeg);
        var old = await _scene.Api.SubmitOkAsync("hash", _scene.Jpeg);
        using (var connection = _scene.Env.Open())
        {
            connection.Execute("UPDATE jobs SET status = 'completed', completed_at = 1000 WHERE job_id = @old", new { old });
        }

        var size = JsonNode.Parse(await _scene.Api.Client.GetStringAsync("admin/jobs/storage/size"))!;
        Assert.That(size["job_count"]!.GetValue<int>(), Is.EqualTo(2));
        Assert.That(size["total_size"]!.GetValue<long>(), Is.EqualTo(2 * new FileInfo(_scene.Jpeg).Length));

        using var cleanup = await _scene.Api.Client.DeleteAsync("admin/jobs/cleanup?days=1");
        var result = JsonNode.Parse(await cleanup.Content.ReadAsStringAsync())!;
        Assert.That(result["deleted_count"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(result["freed_space"]!.GetValue<long>(), Is.EqualTo(new FileInfo(_scene.Jpeg).Length));
        Assert.That(Directory.Exists(_scene.Api.JobFolder(old)), Is.False);
        Assert.That(Directory.Exists(_scene.Api.JobFolder(kept)), Is.True, "a queued job is never cleaned up");
        using var bad = await _scene.Api.Client.DeleteAsync("admin/jobs/cleanup?days=-1");
        Assert.That((int)bad.StatusCode, Is.EqualTo(422));
    }

    private void AssertNothingStored()
    {
        using var connection = _scene.Env.Open();
        Assert.That(connection.ExecuteScalar<long>("SELECT COUNT(*) FROM jobs"), Is.Zero, "no row");
        var jobs = Path.Combine(_scene.Api.Settings.ComputeStorageDirectory, "jobs");
        Assert.That(Directory.Exists(jobs) ? Directory.GetFileSystemEntries(jobs) : [], Is.Empty, "no job folder");
    }
}
