using System.Text.Json.Nodes;
using MediaWorker.Plugins.Video.Tests.Daemon;
using Microsoft.Data.Sqlite;
using NUnit.Framework;

namespace MediaWorker.Plugins.Video.Tests.Streams;

/// <summary>
/// stream_ingest in the real daemon: each segment's record, follow-ups and progress land in one
/// checkpoint, the follow-ups run, and a worker SIGKILLed mid-stream leaves a job that the next
/// worker resumes with a new segment number and a recorded gap.
/// </summary>
[NonParallelizable]
public sealed class StreamIngestDaemonTests
{
    [Test]
    public async Task AWorkerKilledMidStream_IsResumedByAnother_WithNewSegmentNumbers_AndEveryFollowUpRuns()
    {
        using var source = LiveSource.Start("http");
        using var daemon = new VideoDaemon();
        daemon.Environment["WORKER_LEASE_SECONDS"] = "2";
        daemon.Environment["JOB_RETRY_BACKOFF_BASE"] = "0";
        daemon.Environment["VIDEO_ALLOWED_URL_PREFIXES"] = source.AllowedPrefix;
        await daemon.StartAsync();
        var parameters = new JsonObject
        {
            ["input_path"] = source.Url,
            ["segment_seconds"] = 2,
            ["max_segments"] = 3,
            ["max_duration_seconds"] = 12,
            ["delete_grace_seconds"] = 0,
            ["follow_ups"] = new JsonArray(new JsonObject { ["task_type"] = "video_probe" }),
        };
        var (exit, jobId, output) = await daemon.CliAsync("submit", "stream_ingest", "--params", parameters.ToJsonString(), "--max-retries", "3");
        Assert.That(exit, Is.Zero, output);

        Assert.That(await EventuallyAsync(() => Segments(daemon, jobId).Count >= 2), Is.True, "two segments committed:\n" + daemon.Worker!.OutputText);
        daemon.Worker!.Kill();
        var beforeKill = Segments(daemon, jobId);
        source.Restart();
        await daemon.StartAsync();

        Assert.That(await EventuallyAsync(async () => (string?)(await daemon.JobAsync(jobId))["status"] == "completed", TimeSpan.FromSeconds(90)), Is.True, daemon.Worker!.OutputText);
        var segments = Segments(daemon, jobId);
        var indexes = segments.Select(s => (long)s["index"]!).ToList();
        Assert.That(indexes, Is.Unique.And.Ordered.Ascending, "no segment number twice");
        Assert.That(indexes.Take(beforeKill.Count), Is.EqualTo(beforeKill.Select(s => (long)s["index"]!)), "what was committed before the kill is kept");
        Assert.That(segments.Skip(beforeKill.Count).Select(s => (double)s["gap_before"]!).First(), Is.GreaterThan(0), "the resume recorded a gap");
        Assert.That(segments.Sum(s => (double)s["duration"]!), Is.InRange(11.0, 12.5));

        // One follow-up per segment, queued with it and run to completion on that segment.
        await EventuallyAsync(() => FollowUps(daemon, jobId).All(f => f.Status == "completed"));
        var followUps = FollowUps(daemon, jobId);
        Assert.That(followUps.Select(f => f.JobId), Is.EquivalentTo(segments.SelectMany(s => s["follow_ups"]!.AsArray().Select(n => (string)n!))));
        Assert.That(followUps.Select(f => f.Status), Has.All.EqualTo("completed"));
        Assert.That(followUps.Select(f => f.Input), Is.EquivalentTo(segments.Select(s => (string)s["file"]!)));
        var csv = File.ReadAllLines(Path.Combine(daemon.Root, "compute", "jobs", jobId, "output", "segments.csv"));
        Assert.That(csv, Has.Length.EqualTo(segments.Count + 1));
    }

    private static List<JsonObject> Segments(VideoDaemon daemon, string jobId)
    {
        using var connection = Open(daemon);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT state FROM job_checkpoints WHERE job_id = @job";
        command.Parameters.AddWithValue("@job", jobId);
        return command.ExecuteScalar() is string state
            ? [.. JsonNode.Parse(state)!["segments"]!.AsArray().Select(s => s!.AsObject())]
            : [];
    }

    private static List<(string JobId, string Status, string? Input)> FollowUps(VideoDaemon daemon, string jobId)
    {
        using var connection = Open(daemon);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT job_id, status, params FROM jobs WHERE parent_job_id = @job";
        command.Parameters.AddWithValue("@job", jobId);
        using var reader = command.ExecuteReader();
        var found = new List<(string, string, string?)>();
        while (reader.Read())
        {
            found.Add((reader.GetString(0), reader.GetString(1), (string?)JsonNode.Parse(reader.GetString(2))!["input_path"]));
        }

        return found;
    }

    private static SqliteConnection Open(VideoDaemon daemon)
    {
        var connection = new SqliteConnection($"Data Source={Path.Combine(daemon.Root, "media_store.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        return connection;
    }

    private static Task<bool> EventuallyAsync(Func<bool> condition, TimeSpan? timeout = null) =>
        EventuallyAsync(() => Task.FromResult(condition()), timeout);

    private static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await condition())
                {
                    return true;
                }
            }
            catch (SqliteException)
            {
                // The table appears with the worker's first migration.
            }

            await Task.Delay(200);
        }

        return await condition();
    }
}
