using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace MediaWorker.Http.Tests;

/// <summary>Reads /api/events as a client would and hands over each (event type, data) pair.</summary>
internal sealed class EventStreamReader : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<(string Type, JsonObject Data)> _events = Channel.CreateUnbounded<(string, JsonObject)>();
    private readonly Task _reading;

    private EventStreamReader(HttpClient client, TaskCompletionSource connected)
    {
        _reading = ReadAsync(client, connected);
    }

    public static async Task<EventStreamReader> OpenAsync(HttpClient client)
    {
        var connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reader = new EventStreamReader(client, connected);
        await connected.Task.WaitAsync(TimeSpan.FromSeconds(10));
        return reader;
    }

    /// <summary>The next event matching <paramref name="match"/>; earlier ones are skipped.</summary>
    public async Task<JsonObject> NextAsync(string type, Func<JsonObject, bool> match, TimeSpan timeout)
    {
        using var limit = new CancellationTokenSource(timeout);
        while (true)
        {
            var (eventType, data) = await _events.Reader.ReadAsync(limit.Token);
            if (eventType == type && match(data))
            {
                return data;
            }
        }
    }

    /// <summary>Every job event of one job until it finishes (or the timeout).</summary>
    public async Task<List<string>> LifecycleAsync(string jobId, TimeSpan timeout)
    {
        var types = new List<string>();
        using var limit = new CancellationTokenSource(timeout);
        while (!limit.IsCancellationRequested)
        {
            var (eventType, data) = await _events.Reader.ReadAsync(limit.Token);
            if (eventType != "job" || (string?)data["job_id"] != jobId)
            {
                continue;
            }

            types.Add((string)data["event_type"]!);
            if (data["event_type"]!.ToString() is "completed" or "failed" or "cancelled")
            {
                break;
            }
        }

        return types;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _reading;
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or HttpRequestException)
        {
        }

        _stop.Dispose();
    }

    private async Task ReadAsync(HttpClient client, TaskCompletionSource connected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/events");
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, _stop.Token);
        response.EnsureSuccessStatusCode();
        using var stream = await response.Content.ReadAsStreamAsync(_stop.Token);
        using var reader = new StreamReader(stream);
        string? type = null;
        string? data = null;
        while (await reader.ReadLineAsync(_stop.Token) is { } line)
        {
            if (line.StartsWith(": connected", StringComparison.Ordinal))
            {
                connected.TrySetResult();
            }
            else if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                type = line[7..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data = line[6..];
            }
            else if (line.Length == 0 && type is not null && data is not null)
            {
                await _events.Writer.WriteAsync((type, JsonNode.Parse(data)!.AsObject()), _stop.Token);
                type = null;
                data = null;
            }
        }
    }
}
