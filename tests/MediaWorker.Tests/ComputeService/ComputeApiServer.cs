using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using MediaWorker.ComputeService;
using MediaWorker.Configuration;
using MediaWorker.Testing;
using MediaWorker.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;

namespace MediaWorker.Tests.ComputeService;

/// <summary>
/// The compute API in this test process on real Kestrel (a free loopback port), over the
/// <see cref="DaemonEnvironment"/>'s database and folders, with a plain <see cref="HttpClient"/>.
/// </summary>
internal sealed class ComputeApiServer : IAsyncDisposable
{
    private readonly ComputeServiceHost _host;

    private ComputeApiServer(ComputeServiceHost host, HttpClient client, ComputeServiceSettings settings)
    {
        _host = host;
        Client = client;
        Settings = settings;
    }

    public HttpClient Client { get; }

    public ComputeServiceSettings Settings { get; }

    public string JobFolder(string jobId) => Path.Combine(Settings.ComputeStorageDirectory, "jobs", jobId);

    public static async Task<ComputeApiServer> StartAsync(DaemonEnvironment environment, IReadOnlyDictionary<string, string?>? extra = null)
    {
        var port = FreePort.Next();
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in environment.Environment.Concat(extra ?? new Dictionary<string, string?>()))
        {
            if (value is not null)
            {
                values[key] = value;
            }
        }

        values["COMPUTE_API_LISTEN"] = $"127.0.0.1:{port}";
        // Only these values: the developer's shell must not leak into the test.
        var worker = WorkerSettings.Load(new SettingsSource(values, _ => null));
        var settings = ComputeServiceSettings.Read(worker);
        var host = ComputeServiceHost.Create(settings, worker.ServerDirectory, NullLoggerFactory.Instance, TimeProvider.System);
        await host.StartAsync(CancellationToken.None);
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(60) };
        return new ComputeApiServer(host, client, settings);
    }

    /// <summary>POSTs a multipart job form: the file (when given) under <c>file</c>, then the fields.</summary>
    public Task<HttpResponseMessage> SubmitAsync(string task, string? filePath, IReadOnlyDictionary<string, string>? fields = null, string? fileName = null, string? token = null)
    {
        var form = new MultipartFormDataContent();
        if (filePath is not null)
        {
            var file = new ByteArrayContent(File.ReadAllBytes(filePath));
            file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            if (fileName is null)
            {
                form.Add(file, "file", Path.GetFileName(filePath));
            }
            else
            {
                // Any name a client can send, control characters and slashes included: RFC 5987 filename* carries them percent-encoded.
                file.Headers.TryAddWithoutValidation("Content-Disposition", $"form-data; name=\"file\"; filename=\"x\"; filename*=utf-8''{Uri.EscapeDataString(fileName)}");
                form.Add(file);
            }
        }

        foreach (var (name, value) in fields ?? new Dictionary<string, string>())
        {
            form.Add(new StringContent(value), name);
        }

        var request = new HttpRequestMessage(HttpMethod.Post, $"jobs/{task}") { Content = form };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return Client.SendAsync(request);
    }

    /// <summary>Submits and returns the new job id (asserting the seed's 200 answer).</summary>
    public async Task<string> SubmitOkAsync(string task, string? filePath, IReadOnlyDictionary<string, string>? fields = null)
    {
        using var response = await SubmitAsync(task, filePath, fields);
        var body = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(200), body);
        var json = JsonNode.Parse(body)!.AsObject();
        Assert.That(json["status"]!.GetValue<string>(), Is.EqualTo("queued"));
        Assert.That(json["task_type"]!.GetValue<string>(), Is.EqualTo(task));
        return json["job_id"]!.GetValue<string>();
    }

    /// <summary>Submits with a file name that is not the file's own; returns the job id.</summary>
    public async Task<string> SubmitNamedOkAsync(string task, string file, string name)
    {
        using var response = await SubmitAsync(task, file, fileName: name);
        var body = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(200), body);
        return JsonNode.Parse(body)!["job_id"]!.GetValue<string>();
    }

    public async Task<JsonObject> GetJobAsync(string jobId)
    {
        using var response = await Client.GetAsync($"jobs/{jobId}");
        var body = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(200), body);
        return JsonNode.Parse(body)!.AsObject();
    }

    /// <summary>Polls <c>GET /jobs/{id}</c> as the SDK's wait_for_job does, until completed or failed.</summary>
    public async Task<JsonObject> WaitForJobAsync(string jobId, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var job = await GetJobAsync(jobId);
            if (job["status"]!.GetValue<string>() is "completed" or "failed")
            {
                return job;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Job {jobId} did not finish within {timeout.TotalSeconds} s: {job.ToJsonString()}");
            }

            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _host.StopAsync(stop.Token);
        await _host.DisposeAsync();
    }
}
