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

    [Test]
    public async Task AnIngestNamingAPipeline_StartsOneRunPerSegment_InItsCheckpoint_AndKeepsEachSegmentUntilItsRunEnds_AlsoAfterTheJobEnded()
    {
        using var source = LiveSource.Start("http");
        using var daemon = new VideoDaemon();
        daemon.Environment["VIDEO_ALLOWED_URL_PREFIXES"] = source.AllowedPrefix;
        daemon.Environment["WORKER_CONCURRENCY"] = "3";
        daemon.Environment["DATABASE_CHECKPOINT_INTERVAL"] = "1"; // the maintenance tick that deletes released files
        // The sleep makes every run outlast its segment's place in the ring buffer (one segment), so
        // its last step reads a segment that has already left the buffer.
        var definition = Path.Combine(daemon.Root, "segment_check.json");
        await File.WriteAllTextAsync(definition, """
            {"name": "segment_check", "steps": [
              {"name": "probe", "task": "video_probe", "params": {"input_path": "${input.path}"}},
              {"name": "wait", "task": "sleep", "needs": "probe", "params": {"seconds": 3}},
              {"name": "audio", "task": "audio_extract", "needs": "wait", "params": {"input_path": "${input.path}", "format": "wav"}}
            ]}
            """);
        var (stored, _, storeOutput) = await daemon.CliAsync("pipeline", "run", definition, "--input", """{"path": "not-a-segment.ts"}""");
        Assert.That(stored, Is.Zero, storeOutput);
        await daemon.StartAsync();
        var parameters = new JsonObject
        {
            ["input_path"] = source.Url,
            ["segment_seconds"] = 2,
            ["max_segments"] = 1,
            ["max_duration_seconds"] = 8,
            ["pipeline"] = new JsonObject
            {
                ["name"] = "segment_check",
                ["input"] = new JsonObject { ["path"] = "segment_path", ["n"] = "index", ["t"] = "start" },
                ["constants"] = new JsonObject { ["camera"] = "door" },
            },
        };
        var (exit, jobId, output) = await daemon.CliAsync("submit", "stream_ingest", "--params", parameters.ToJsonString());
        Assert.That(exit, Is.Zero, output);

        Assert.That(await EventuallyAsync(async () => (string?)(await daemon.JobAsync(jobId))["status"] == "completed", TimeSpan.FromSeconds(90)), Is.True, daemon.Worker!.OutputText);
        // The job has ended while the runs of its last evicted segments still read them: those were handed over.
        var released = Segments(daemon, jobId).Where(s => (bool?)s["released"] == true).Select(s => (string)s["file"]!).ToList();
        Assert.That(released, Is.Not.Empty, "a segment evicted just before the end was still being read");
        Assert.That(released, Has.All.Matches<string>(File.Exists), "kept while its run reads it");
        Assert.That(await EventuallyAsync(() => Runs(daemon, jobId).All(r => r.Status is "completed" or "failed"), TimeSpan.FromSeconds(60)), Is.True, daemon.Worker!.OutputText);
        Assert.That(await EventuallyAsync(() => !released.Any(File.Exists) && Count(daemon, "file_releases") == 0, TimeSpan.FromSeconds(15)), Is.True, "gone once its run finished, after the job had ended");
        var segments = Segments(daemon, jobId);
        Assert.That(segments.Where(s => (bool?)s["released"] != true && (bool?)s["deleted"] != true).Select(s => (string)s["file"]!), Has.All.Matches<string>(File.Exists), "the ring buffer's segment stays");
        var runs = Runs(daemon, jobId);
        Assert.That(segments, Has.Count.InRange(3, 5));
        Assert.That(runs.Select(r => r.RunId), Is.EqualTo(segments.Select(s => (string)s["pipeline_run"]!)).AsCollection, "one run per segment, named in its record");
        foreach (var (run, segment) in runs.Zip(segments))
        {
            Assert.That(run.Key, Is.EqualTo($"checkpoint:{jobId}:segment-{(long)segment["index"]!:D6}"));
            Assert.That((string?)run.Input["path"], Is.EqualTo((string)segment["file"]!));
            Assert.That((long)run.Input["n"]!, Is.EqualTo((long)segment["index"]!));
            Assert.That((double)run.Input["t"]!, Is.EqualTo((double)segment["start"]!).Within(0.001), "seconds to the millisecond");
            Assert.That((string?)run.Input["camera"], Is.EqualTo("door"));
        }

        Assert.That(runs.Select(r => r.Status), Has.All.EqualTo("completed"), "every run's last step found its segment, though the segment had left the buffer:\n" + daemon.Worker!.OutputText);
    }

    private static long Count(VideoDaemon daemon, string table)
    {
        using var connection = Open(daemon);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM {table}";
        return (long)command.ExecuteScalar()!;
    }

    private static List<(string RunId, string Status, string Key, JsonObject Input)> Runs(VideoDaemon daemon, string jobId)
    {
        using var connection = Open(daemon);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT run_id, status, idempotency_key, input FROM pipeline_runs WHERE created_by = @by ORDER BY idempotency_key";
        command.Parameters.AddWithValue("@by", "job:" + jobId);
        using var reader = command.ExecuteReader();
        var found = new List<(string, string, string, JsonObject)>();
        while (reader.Read())
        {
            found.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), JsonNode.Parse(reader.GetString(3))!.AsObject()));
        }

        return found;
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
