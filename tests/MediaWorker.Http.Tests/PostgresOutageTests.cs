using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MediaWorker.Storage;
using MediaWorker.Testing;
using NUnit.Framework;

namespace MediaWorker.Http.Tests;

/// <summary>The operations surface on PostgreSQL while the server is stopped, and after it is back.</summary>
[NonParallelizable]
public sealed class PostgresOutageTests
{
    [Test]
    public async Task WhilePostgresIsDown_ReadyzIsNotReady_AndOnceItIsBack_EverythingAnswersAgain()
    {
        await using var host = await OpsHost.StartAsync(store: StoreKind.Postgres);
        await using var stream = await EventStreamReader.OpenAsync(host.Client); // so the change feed reads through the outage
        var before = await LiveTests.SubmitAsync(host.Client, """{"task_type": "noop"}""");
        Assert.That((await host.Client.GetAsync("/readyz")).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        PostgresServer.Shared.Stop();
        try
        {
            using var down = await host.Client.GetAsync("/readyz");
            var body = JsonNode.Parse(await down.Content.ReadAsStringAsync())!;
            Assert.That(down.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), body.ToJsonString());
            Assert.That((string?)body["status"], Is.EqualTo("not_ready"));
            Assert.That((string?)body["database"], Does.StartWith("unreachable: "));
            Assert.That((await host.Client.GetAsync("/healthz")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "the process itself is alive");
            await Task.Delay(600); // the change feed fails a few reads meanwhile
        }
        finally
        {
            PostgresServer.Shared.Start();
        }

        await LiveTests.EventuallyAsync(async () => (await host.Client.GetAsync("/readyz")).IsSuccessStatusCode, "/readyz is ready again");
        var job = await host.Client.GetFromJsonAsync<JsonObject>($"/api/jobs/{before}");
        Assert.That((string?)job!["status"], Is.EqualTo("queued"), "the job submitted before the outage is still there");

        // A row another connection writes reaches the stream: the feed reads again.
        string other;
        using (var connection = host.OpenDatabase())
        {
            other = JobSubmitter.Submit(connection, new NewJob("noop", "{}"), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()).JobId;
        }

        var seen = await stream.NextAsync("job", e => (string?)e["job_id"] == other, TimeSpan.FromSeconds(10));
        Assert.That((string?)seen["event_type"], Is.EqualTo("queued"));
    }
}
