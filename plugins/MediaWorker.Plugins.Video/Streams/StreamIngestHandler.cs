using System.Text.Json.Nodes;
using MediaWorker.Ffmpeg;
using MediaWorker.Ffmpeg.Diagnostics;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.Video.Common;
using Microsoft.Extensions.Logging;

namespace MediaWorker.Plugins.Video.Streams;

/// <summary>
/// <c>stream_ingest</c>: records a live stream (RTMP, SRT, HLS, DASH or MPEG-TS over HTTP) into
/// a ring buffer of segment files, each committed with its follow-up jobs, until the stream ends,
/// max_duration_seconds is reached or the job is cancelled. Dropped or stalled connections are
/// retried with capped exponential backoff and jitter, and the gap is recorded.
/// </summary>
internal sealed class StreamIngestHandler(VideoServices services, TimeProvider time) : VideoTaskHandler(services)
{
    private static readonly TimeSpan FirstReconnectDelay = TimeSpan.FromMilliseconds(500);

    public override TaskDescriptor Descriptor { get; } = new()
    {
        TaskType = "stream_ingest",
        Description = "Records a live stream (rtmp, srt, HLS, DASH or MPEG-TS over http) into a ring buffer of segments, queueing follow-up jobs for each segment.",
        ParameterSchema = ParameterSchema.Object(
        [
            ("input_path", ParameterSchema.String("The live stream's URL (rtmp, rtmps, srt, http(s) HLS playlist, DASH manifest or MPEG-TS); it must start with one of VIDEO_ALLOWED_URL_PREFIXES.")),
            ("segment_seconds", ParameterSchema.Number("Target length of a segment; cuts fall on the next keyframe.", 1, 3600, 120)),
            ("max_segments", ParameterSchema.Integer("The ring buffer: how many recorded segments are kept on disk.", 1, 100_000, 5)),
            ("max_duration_seconds", ParameterSchema.Number("Stop after recording this much of the stream; default: until it ends or is cancelled.", 0, null, exclusiveMinimum: true)),
            ("extract_audio", ParameterSchema.Boolean("Also write each segment's audio as 16 kHz mono WAV (for transcribe, wake_word_detect).", false)),
            ("reencode", ParameterSchema.Boolean("Re-encode (H.264/AAC, a keyframe every segment_seconds) instead of copying the streams: for sources whose keyframes are too far apart.", false)),
            ("follow_ups", ParameterSchema.Array(
                "Jobs to queue for every segment; each gets the segment (or its audio) as input_path.",
                ParameterSchema.Object(
                [
                    ("task_type", ParameterSchema.Pattern("The follow-up's task type, e.g. video_probe or transcribe.", "^[A-Za-z0-9._-]{1,100}$")),
                    ("params", new JsonObject { ["type"] = "object", ["description"] = "Its parameters, without input_path." }),
                    ("input", ParameterSchema.Enum("What it reads: the segment file, or its audio (needs extract_audio).", StreamIngestOptions.FollowUpInputs, "segment")),
                    ("priority", ParameterSchema.Integer("The follow-up's priority.", 0, 100, 5)),
                ],
                "task_type"),
                0,
                16)),
            ("pipeline", SegmentPipeline.Schema()),
            ("stall_seconds", ParameterSchema.Number("No data for this long counts as a dropped connection (a new connection gets 10 s more to start).", 1, 3600, 10)),
            ("reconnect_timeout_seconds", ParameterSchema.Number("How long the source may stay away before the ingest ends: completed if it had closed the stream, retried later if it had failed.", 1, 86_400, 60)),
            ("reconnect_backoff_max_seconds", ParameterSchema.Number("The longest wait between two reconnect attempts (they start at 0.5 s and double, with jitter).", 1, 3600, 30)),
            ("delete_grace_seconds", ParameterSchema.Number("A segment that left the ring buffer is deleted once its follow-ups finished, or after this long at the latest.", 0, 604_800, 600)),
        ],
        "input_path"),
        // An ingest lasts as long as the stream; max_duration_seconds or a job timeout bounds it.
        DefaultTimeout = TimeSpan.FromDays(30),
        MaxConcurrency = services.StreamMaxConcurrent,
    };

    protected override async Task<JsonObject> RunAsync(VideoJob job, CancellationToken cancellationToken)
    {
        if (!job.Input.IsUrl)
        {
            throw new PermanentJobException($"input_path: stream_ingest reads live streams: give a URL (rtmp://, srt://, http(s)://), not the file '{job.Input.DisplayName}'.");
        }

        var options = StreamIngestOptions.Read(job.Parameters);
        var folders = IngestFolders.Create(job.Files.OutputDirectory);
        var state = IngestState.FromCheckpoint(await job.Context.Checkpoints.LoadAsync(cancellationToken));
        var retention = new SegmentRetention(options.MaxSegments, options.DeleteGrace, job.Context.Checkpoints, time);
        var recorder = new SegmentRecorder(Services, job.Context, options, state, retention, folders.Segments, folders.Audio, folders.Csv, time);
        if (state.LastDataAtMs is not null)
        {
            folders.RemoveUnrecorded(state);
            job.Context.Logger.LogInformation("Resuming the ingest at segment {Index} ({Recorded:0.0} s recorded so far).", state.NextIndex, state.Recorded);
        }

        string end;
        try
        {
            end = await IngestAsync(job, options, state, recorder, folders, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            await recorder.FinishAsync();
            throw;
        }

        await recorder.FinishAsync();
        return Output(state, folders, end);
    }

    private async Task<string> IngestAsync(VideoJob job, StreamIngestOptions options, IngestState state, SegmentRecorder recorder, IngestFolders folders, CancellationToken cancellationToken)
    {
        var logger = job.Context.Logger;
        var session = new IngestSession(Services, job.Input, options, folders.Segments, time);
        var backoff = new RetryBackoff(FirstReconnectDelay, options.ReconnectBackoffMax);
        var failures = 0;
        DateTimeOffset? downSince = null;
        while (true)
        {
            var remaining = options.MaxDuration is { } max ? max - TimeSpan.FromSeconds(state.Recorded) : (TimeSpan?)null;
            if (remaining is { } left && left <= TimeSpan.FromMilliseconds(50))
            {
                return "max_duration";
            }

            if (state.LastDataAtMs is { } last)
            {
                // A reconnect or a resumed job: the gap runs from the last data to this session's first.
                recorder.GapSince ??= DateTimeOffset.FromUnixTimeMilliseconds(last);
            }

            var result = await session.RunAsync(state.NextIndex, remaining, (line, firstData) => recorder.RecordAsync(line, firstData), cancellationToken);
            cancellationToken.ThrowIfCancellationRequested();
            if (result.Failure is { } failure && DiskFull.Is(failure))
            {
                throw DiskFull.Error(folders.Segments, failure);
            }

            if (result.LastData is not null)
            {
                failures = 0;
                downSince = null;
            }

            if (options.MaxDuration is { } limit && state.Recorded >= limit.TotalSeconds - 0.05)
            {
                return "max_duration";
            }

            if (result.End == SessionEnd.Finished)
            {
                // The source said the stream is over: nothing to reconnect to.
                return "stream_ended";
            }

            var now = time.GetUtcNow();
            downSince ??= result.LastData ?? now;
            if (now - downSince > options.ReconnectTimeout)
            {
                if (result.End == SessionEnd.SourceClosed)
                {
                    return "stream_ended";
                }

                if (state.LastDataAtMs is null && result.Failure is { } first && !FfmpegFailureClassifier.IsPassing(first, networkInput: true))
                {
                    // Never received anything, and not for a passing reason (404, no such stream, not media).
                    throw FfmpegFailureTranslator.Translate(first, job.Input);
                }

                var reason = result.Failure?.Message ?? "it sent no data";
                throw new RetryableJobException($"The stream '{job.Input.DisplayName}' has been unreachable for {Seconds(now - downSince.Value):0} s (reconnect_timeout_seconds): {reason}");
            }

            failures++;
            state.Reconnects++;
            var delay = backoff.Delay(failures);
            logger.LogWarning(
                "The stream {How}; reconnecting in {Delay:0.0} s (attempt {Attempt}).",
                result.End switch
                {
                    SessionEnd.Stalled => $"sent no data for {options.StallTimeout.TotalSeconds:0} s",
                    SessionEnd.Failed => "failed: " + result.Failure!.Message,
                    _ => "closed",
                },
                delay.TotalSeconds,
                failures);
            await Task.Delay(delay, time, cancellationToken);
        }
    }

    private static JsonObject Output(IngestState state, IngestFolders folders, string end) => new()
    {
        ["end_reason"] = end,
        ["segments_recorded"] = state.Segments.Count,
        ["recorded_seconds"] = JsonOutput.Seconds(state.Recorded),
        ["stream_seconds"] = JsonOutput.Seconds(state.Position),
        ["reconnects"] = state.Reconnects,
        ["gaps"] = state.Gaps,
        ["gap_seconds"] = JsonOutput.Seconds(state.GapSeconds),
        ["segment_list"] = folders.Csv,
        ["segments"] = new JsonArray([.. state.Segments.Where(s => s.Kept).Select(s => (JsonNode)new JsonObject
        {
            ["index"] = s.Index,
            ["path"] = s.File,
            ["start"] = JsonOutput.Seconds(s.Start),
            ["duration"] = JsonOutput.Seconds(s.Duration),
            ["gap_before"] = JsonOutput.Seconds(s.GapBefore),
            ["audio_path"] = s.Audio,
            ["follow_up_jobs"] = new JsonArray([.. s.FollowUps.Select(id => (JsonNode)JsonValue.Create(id))]),
            ["pipeline_run"] = s.PipelineRun,
        })]),
        ["files"] = JsonOutput.Files([folders.Csv, .. state.Segments.Where(s => s.Kept).SelectMany(s => s.Audio is null ? [s.File] : new[] { s.File, s.Audio })]),
    };

    private static double Seconds(TimeSpan span) => Math.Max(0, Math.Round(span.TotalSeconds, 3));
}
