using System.Text.Json.Nodes;
using MediaWorker.Testing;
using MediaWorker.Tests.Support;
using NUnit.Framework;

namespace MediaWorker.Tests.ComputeService;

/// <summary>
/// The API's MQTT side against a real mosquitto: the <c>queued</c> job event the seed's service
/// published, and <c>/capabilities</c> from the live workers' retained messages.
/// </summary>
[NonParallelizable]
public sealed class ComputeApiMqttTests
{
    private MosquittoBroker _broker = null!;
    private DaemonEnvironment _env = null!;
    private TempDirectory _media = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _broker = await MosquittoBroker.StartAsync();
        _env = new DaemonEnvironment();
        _env.Environment["BROADCAST_TYPE"] = "mqtt";
        _env.Environment["MQTT_URL"] = _broker.Url;
        _env.Environment["WORKER_ID"] = "box";
        _media = new TempDirectory("mw-compute-mqtt");
    }

    [TearDown]
    public async Task StopAsync()
    {
        _env.Dispose();
        _media.Dispose();
        await _broker.DisposeAsync();
    }

    [Test]
    public async Task ASubmittedJob_IsAnnouncedAsQueued()
    {
        await using var events = await MosquittoSubscriber.StartAsync(_broker, "inference/events");
        await using var api = await ComputeApiServer.StartAsync(_env);
        var jobId = await api.SubmitOkAsync("hash", await TestMedia.JpegAsync(_media.Path));
        var message = await events.WaitForAsync(m => m.Json?["job_id"]?.GetValue<string>() == jobId, TimeSpan.FromSeconds(15));
        Assert.That(message.Json!["event_type"]!.GetValue<string>(), Is.EqualTo("queued"));
        Assert.That(message.Json!["task_type"]!.GetValue<string>(), Is.EqualTo("hash"));
        Assert.That(message.Json!["progress"]!.GetValue<int>(), Is.Zero);
        Assert.That(message.Json!["timestamp"]!.GetValue<long>(), Is.GreaterThan(1_600_000_000_000L));
        Assert.That(message.Retained, Is.False);
    }

    [Test]
    public async Task Capabilities_SumTheLiveWorkersIdleSlots_AndLeaveTheApiOut()
    {
        await using var api = await ComputeApiServer.StartAsync(_env);
        var worker = _env.StartWorker("w-caps", new Dictionary<string, string?> { ["WORKER_ID"] = null }, "--tasks", "noop,sleep", "--concurrency", "3");
        Assert.That(await worker.WaitForOutputAsync("Worker w-caps started", TimeSpan.FromSeconds(30)), Is.True, worker.OutputText);

        JsonNode? capabilities = null;
        var seen = await DaemonEnvironment.EventuallyAsync(
            () =>
            {
                capabilities = JsonNode.Parse(api.Client.GetStringAsync("capabilities").GetAwaiter().GetResult());
                return capabilities!["num_workers"]!.GetValue<int>() == 1;
            },
            TimeSpan.FromSeconds(15));
        Assert.That(seen, Is.True, capabilities?.ToJsonString());
        Assert.That(capabilities!["capabilities"]!.ToJsonString(), Is.EqualTo("""{"noop":3,"sleep":3}"""));

        // The seed's SDK validates worker_id in capability messages; the API's own presence has no tasks.
        var presence = await MosquittoSubscriber.ReadRetainedAsync(_broker, "inference/workers/w-caps");
        Assert.That(presence!.Json!["worker_id"]!.GetValue<string>(), Is.EqualTo("w-caps"));
        Assert.That(presence.Json!["id"]!.GetValue<string>(), Is.EqualTo("w-caps"));
        var own = await MosquittoSubscriber.ReadRetainedAsync(_broker, "inference/workers/box-compute-api");
        Assert.That(own!.Json!["capabilities"]!.AsArray(), Is.Empty);

        worker.Terminate();
        Assert.That(await worker.WaitForExitAsync(TimeSpan.FromSeconds(30)), Is.True);
        Assert.That(
            await DaemonEnvironment.EventuallyAsync(() => JsonNode.Parse(api.Client.GetStringAsync("capabilities").GetAwaiter().GetResult())!["num_workers"]!.GetValue<int>() == 0, TimeSpan.FromSeconds(15)),
            Is.True,
            "a stopped worker is no longer counted");
    }
}
