using System.Text.Json.Nodes;
using NUnit.Framework;

namespace MediaWorker.Tests.ComputeService;

/// <summary><c>GET /jobs/{id}/files/{path}</c>: files of the job's folder only; 404, 403 and 400 as the seed answers.</summary>
public sealed class ComputeApiFileTests
{
    private ComputeApiScene _scene = null!;
    private string _jobId = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _scene = await ComputeApiScene.StartAsync();
        File.WriteAllText(Path.Combine(_scene.Env.ServerDirectory, "secret.txt"), "not for clients");
        _jobId = await _scene.Api.SubmitOkAsync("hash", _scene.Jpeg);
        Directory.CreateDirectory(Path.Combine(_scene.Api.JobFolder(_jobId), "output", "nested"));
        File.WriteAllText(Path.Combine(_scene.Api.JobFolder(_jobId), "output", "nested", "result 1.json"), "{}");
    }

    [TearDown]
    public async Task StopAsync() => await _scene.DisposeAsync();

    [Test]
    public async Task AFileInTheJobsFolder_Downloads()
    {
        using var response = await _scene.Api.Client.GetAsync($"jobs/{_jobId}/files/output/nested/result%201.json");
        Assert.That((int)response.StatusCode, Is.EqualTo(200));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("{}"));
        Assert.That(response.Content.Headers.ContentDisposition!.FileName, Does.Contain("result 1.json"));
    }

    [TestCase("output/missing.jpg", 404, "File not found: output/missing.jpg")]
    [TestCase("output/nested", 400, "Path is not a file: output/nested")]
    [TestCase("..%2F..%2F..%2Fsecret.txt", 403, "Access denied: path traversal detected")]
    [TestCase("output/..%2F..%2F..%2F..%2Fsecret.txt", 403, "Access denied: path traversal detected")]
    public async Task BadPaths_AreRefused(string path, int status, string detail)
    {
        using var response = await _scene.Api.Client.GetAsync($"jobs/{_jobId}/files/{path}");
        var body = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(status), body);
        Assert.That(JsonNode.Parse(body)!["detail"]!.GetValue<string>(), Is.EqualTo(detail));
    }

    [Test]
    public async Task ALinkOutOfTheJobsFolder_Is403()
    {
        File.CreateSymbolicLink(Path.Combine(_scene.Api.JobFolder(_jobId), "output", "leak.txt"), Path.Combine(_scene.Env.ServerDirectory, "secret.txt"));
        using var response = await _scene.Api.Client.GetAsync($"jobs/{_jobId}/files/output/leak.txt");
        Assert.That((int)response.StatusCode, Is.EqualTo(403));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Not.Contain("not for clients"));
    }

    [Test]
    public async Task AnUnknownJob_Is404()
    {
        using var response = await _scene.Api.Client.GetAsync("jobs/no-such-job/files/output/x.jpg");
        Assert.That((int)response.StatusCode, Is.EqualTo(404));
        Assert.That(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["detail"]!.GetValue<string>(), Is.EqualTo("Job no-such-job not found"));
        using var delete = await _scene.Api.Client.DeleteAsync("jobs/no-such-job");
        Assert.That((int)delete.StatusCode, Is.EqualTo(404));
    }
}
