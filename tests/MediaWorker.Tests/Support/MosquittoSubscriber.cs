using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using MediaWorker.Testing;

namespace MediaWorker.Tests.Support;

/// <summary>
/// An independent subscriber: Debian's <c>mosquitto_sub</c> in its own process, recording every
/// message with its retain flag, QoS and local receive time. Started only after the broker
/// acknowledged the subscription, so nothing published afterwards is missed.
/// </summary>
internal sealed class MosquittoSubscriber : IAsyncDisposable
{
    private const string Format = "%r|%q|%t|%p";
    private readonly Process _process;
    private readonly ConcurrentQueue<Message> _messages = new();
    private readonly ConcurrentQueue<string> _debug = new();
    private readonly SemaphoreSlim _arrived = new(0);

    private MosquittoSubscriber(Process process) => _process = process;

    public IReadOnlyList<Message> Messages => _messages.ToArray();

    /// <summary>Subscribes to <paramref name="filters"/> at QoS 1 and returns once the broker sent SUBACK.</summary>
    public static async Task<MosquittoSubscriber> StartAsync(MosquittoBroker broker, params string[] filters)
    {
        // stdbuf: mosquitto_sub writes through stdio, fully buffered into a pipe; lines must arrive as they happen.
        var info = new ProcessStartInfo("stdbuf") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-oL", "mosquitto_sub" }.Concat(ConnectionArguments(broker)).Concat(["-q", "1", "-d", "-F", Format]))
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var filter in filters)
        {
            info.ArgumentList.Add("-t");
            info.ArgumentList.Add(filter);
        }

        var process = new Process { StartInfo = info };
        var subscriber = new MosquittoSubscriber(process);
        var subscribed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) => subscriber.OnLine(e.Data, subscribed);
        process.ErrorDataReceived += (_, e) => subscriber.OnLine(e.Data, subscribed);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (await Task.WhenAny(subscribed.Task, Task.Delay(TimeSpan.FromSeconds(10))) != subscribed.Task)
        {
            await subscriber.DisposeAsync();
            throw new InvalidOperationException($"mosquitto_sub did not subscribe to {string.Join(", ", filters)}:\n{string.Join('\n', subscriber._debug)}");
        }

        return subscriber;
    }

    /// <summary>
    /// What a brand-new subscriber finds retained on <paramref name="topic"/> right now (null: nothing),
    /// read by a separate <c>mosquitto_sub</c> that waits one second for it.
    /// </summary>
    public static async Task<Message?> ReadRetainedAsync(MosquittoBroker broker, string topic)
    {
        var arguments = ConnectionArguments(broker).Concat(["-q", "1", "-t", topic, "-C", "1", "-W", "1", "--retained-only", "-F", Format]).ToList();
        var (exitCode, output, error) = await ExternalTool.RunAsync("mosquitto_sub", arguments, TimeSpan.FromSeconds(10));
        var line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        if (line is null)
        {
            // 27 is mosquitto_sub's "timed out", 0 that a live (not retained) message came first:
            // either way the broker held nothing retained for this topic.
            return exitCode is 27 or 0 ? null : throw new InvalidOperationException($"mosquitto_sub failed ({exitCode}): {error}");
        }

        return Parse(line);
    }

    /// <summary>Waits for the first message at or after <paramref name="fromIndex"/> that matches.</summary>
    public async Task<Message> WaitForAsync(Func<Message, bool> predicate, TimeSpan timeout, int fromIndex = 0)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var match = Messages.Skip(fromIndex).FirstOrDefault(predicate);
            if (match is not null)
            {
                return match;
            }

            var left = timeout - deadline.Elapsed;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"No matching message within {timeout.TotalSeconds} s. Received:\n{Describe(Messages)}");
            }

            await _arrived.WaitAsync(left < TimeSpan.FromMilliseconds(100) ? left : TimeSpan.FromMilliseconds(100));
        }
    }

    /// <summary>Waits until <paramref name="count"/> messages match; returns them.</summary>
    public async Task<IReadOnlyList<Message>> WaitForCountAsync(Func<Message, bool> predicate, int count, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var matches = Messages.Where(predicate).ToList();
            if (matches.Count >= count)
            {
                return matches;
            }

            var left = timeout - deadline.Elapsed;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"Only {matches.Count} of {count} messages within {timeout.TotalSeconds} s. Received:\n{Describe(Messages)}");
            }

            await _arrived.WaitAsync(left < TimeSpan.FromMilliseconds(100) ? left : TimeSpan.FromMilliseconds(100));
        }
    }

    public static string Describe(IEnumerable<Message> messages) => string.Join('\n', messages.Select(m => $"  {m.ReceivedAt:HH:mm:ss.fff} r{(m.Retained ? 1 : 0)} {m.Topic} {m.Payload}"));

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _arrived.Dispose();
    }

    private static IEnumerable<string> ConnectionArguments(MosquittoBroker broker)
    {
        yield return "-h";
        yield return broker.Host;
        yield return "-p";
        yield return broker.Port.ToString(CultureInfo.InvariantCulture);
        if (broker.Tls is not null)
        {
            yield return "--cafile";
            yield return broker.Tls.CaCertificate;
        }

        if (broker.SubscriberCredentials is { } credentials)
        {
            yield return "-u";
            yield return credentials.User;
            yield return "-P";
            yield return credentials.Password;
        }
    }

    private static Message? Parse(string line)
    {
        var parts = line.Split('|', 4);
        if (parts.Length < 4 || parts[0] is not ("0" or "1"))
        {
            return null;
        }

        return new Message(DateTime.UtcNow, parts[0] == "1", int.Parse(parts[1], CultureInfo.InvariantCulture), parts[2], parts[3]);
    }

    private void OnLine(string? line, TaskCompletionSource subscribed)
    {
        if (line is null)
        {
            return;
        }

        var message = Parse(line);
        if (message is null)
        {
            _debug.Enqueue(line);
            if (line.Contains("received SUBACK", StringComparison.Ordinal))
            {
                subscribed.TrySetResult();
            }

            return;
        }

        _messages.Enqueue(message);
        _arrived.Release();
    }

    /// <summary>One received message; <see cref="Json"/> is null for the empty payload that clears a retained message.</summary>
    internal sealed record Message(DateTime ReceivedAt, bool Retained, int Qos, string Topic, string Payload)
    {
        public JsonObject? Json => Payload.Length == 0 ? null : JsonNode.Parse(Payload)!.AsObject();
    }
}
