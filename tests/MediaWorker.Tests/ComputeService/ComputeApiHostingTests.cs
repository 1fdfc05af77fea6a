using System.Text.Json.Nodes;
using MediaWorker.Testing;
using MediaWorker.Tests.Support;
using NUnit.Framework;

namespace MediaWorker.Tests.ComputeService;

/// <summary>The two ways the published daemon hosts the API: <c>mediaworker compute-api</c> alone, and inside <c>mediaworker run</c> (on either store).</summary>
public sealed class ComputeApiHostingTests
{
    [Test]
    public async Task ComputeApiCommand_ServesAndStopsOnSigterm()
    {
        using var env = new DaemonEnvironment();
        var port = FreePort.Next();
        using var process = WorkerProcess.Start(["compute-api", "--listen", $"127.0.0.1:{port}"], env.Environment);
        Assert.That(await process.WaitForOutputAsync("Compute API listening on", TimeSpan.FromSeconds(30)), Is.True, process.OutputText);
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        var root = JsonNode.Parse(await client.GetStringAsync(""))!;
        Assert.That(root["status"]!.GetValue<string>(), Is.EqualTo("healthy"));
        process.Terminate();
        Assert.That(await process.WaitForExitAsync(TimeSpan.FromSeconds(20)), Is.True, process.OutputText);
        Assert.That(process.ExitCode, Is.Zero, process.OutputText);
    }

    [TestCase(StoreKind.Sqlite)]
    [TestCase(StoreKind.Postgres)]
    public async Task Run_HostsTheApi_WhenComputeApiListenIsSet_AndRunsItsJobs(StoreKind store)
    {
        using var env = new DaemonEnvironment(store);
        using var media = new TempDirectory("mw-compute-run");
        var port = FreePort.Next();
        var worker = env.StartWorker("w-run", new Dictionary<string, string?> { ["COMPUTE_API_LISTEN"] = $"127.0.0.1:{port}", ["PLUGIN_DIR"] = RepoPaths.PublishedPlugins }, "--tasks", "hash");
        Assert.That(await worker.WaitForOutputAsync("Worker w-run started", TimeSpan.FromSeconds(60)), Is.True, worker.OutputText);
        Assert.That(worker.OutputText, Does.Contain($"Compute API listening on http://127.0.0.1:{port}"));

        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        using var form = new MultipartFormDataContent { { new ByteArrayContent("hello"u8.ToArray()), "file", "hello.txt" }, { new StringContent("md5"), "algorithm" } };
        using var submitted = await client.PostAsync("jobs/hash", form);
        var jobId = JsonNode.Parse(await submitted.Content.ReadAsStringAsync())!["job_id"]!.GetValue<string>();
        JsonNode? job = null;
        Assert.That(
            await DaemonEnvironment.EventuallyAsync(
                () => (job = JsonNode.Parse(client.GetStringAsync($"jobs/{jobId}").GetAwaiter().GetResult()))!["status"]!.GetValue<string>() == "completed",
                TimeSpan.FromSeconds(30)),
            Is.True,
            job?.ToJsonString());
        Assert.That(job!["task_output"]!["hash"]!.GetValue<string>(), Is.EqualTo("5d41402abc4b2a76b9719d911017c592"));
        using (var deleted = await client.DeleteAsync($"jobs/{jobId}"))
        {
            Assert.That((int)deleted.StatusCode, Is.EqualTo(204));
        }

        using (var gone = await client.GetAsync($"jobs/{jobId}"))
        {
            Assert.That((int)gone.StatusCode, Is.EqualTo(404));
        }

        worker.Terminate();
        Assert.That(await worker.WaitForExitAsync(TimeSpan.FromSeconds(30)), Is.True, worker.OutputText);
        Assert.That(worker.ExitCode, Is.Zero, worker.OutputText);
    }

    [Test]
    public async Task ABadListenAddress_StopsStartUp_NamingTheVariable()
    {
        using var env = new DaemonEnvironment();
        env.Environment["COMPUTE_API_LISTEN"] = "somewhere:eighty";
        var (exit, output) = await env.CliAsync("run", "--worker-id", "w-bad");
        Assert.That(exit, Is.EqualTo(2), output);
        Assert.That(output, Does.Contain("COMPUTE_API_LISTEN: 'somewhere:eighty' is not allowed"));
    }
}
