using System.Text.Json.Nodes;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.Video.Common;

namespace MediaWorker.Plugins.Video.Streams;

/// <summary>A <c>stream_ingest</c> job's parameters, read and checked.</summary>
internal sealed record StreamIngestOptions
{
    public required TimeSpan SegmentLength { get; init; }

    public required int MaxSegments { get; init; }

    public TimeSpan? MaxDuration { get; init; }

    public required bool ExtractAudio { get; init; }

    public required bool Reencode { get; init; }

    public required TimeSpan StallTimeout { get; init; }

    public required TimeSpan ReconnectTimeout { get; init; }

    public required TimeSpan ReconnectBackoffMax { get; init; }

    public required TimeSpan DeleteGrace { get; init; }

    public required IReadOnlyList<SegmentFollowUp> FollowUps { get; init; }

    /// <summary>The pipeline run started for every segment, if any.</summary>
    public SegmentPipeline? Pipeline { get; init; }

    public static readonly string[] FollowUpInputs = ["segment", "audio"];

    public static StreamIngestOptions Read(JobParameters p)
    {
        var extractAudio = p.Boolean("extract_audio", false);
        var followUps = new List<SegmentFollowUp>();
        foreach (var item in p.OptionalArray("follow_ups") ?? [])
        {
            if (item is not JsonObject entry)
            {
                throw JobParameters.Invalid("follow_ups", "must list objects with a task_type");
            }

            var spec = new JobParameters(entry);
            var input = spec.Choice("input", "segment", FollowUpInputs);
            if (input == "audio" && !extractAudio)
            {
                throw JobParameters.Invalid("follow_ups", $"has a follow-up ({spec.RequiredString("task_type")}) that reads the audio, which needs extract_audio: true");
            }

            followUps.Add(new SegmentFollowUp(
                spec.RequiredString("task_type"),
                entry["params"] is JsonObject parameters ? parameters : [],
                input == "audio",
                spec.IntegerInRange("priority", 5, 0, 100)));
        }

        var maxDuration = p.OptionalNumber("max_duration_seconds");
        return new StreamIngestOptions
        {
            SegmentLength = TimeSpan.FromSeconds(p.Number("segment_seconds", 120)),
            MaxSegments = p.IntegerInRange("max_segments", 5, 1, 100_000),
            MaxDuration = maxDuration is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
            ExtractAudio = extractAudio,
            Reencode = p.Boolean("reencode", false),
            StallTimeout = TimeSpan.FromSeconds(p.Number("stall_seconds", 10)),
            ReconnectTimeout = TimeSpan.FromSeconds(p.Number("reconnect_timeout_seconds", 60)),
            ReconnectBackoffMax = TimeSpan.FromSeconds(p.Number("reconnect_backoff_max_seconds", 30)),
            DeleteGrace = TimeSpan.FromSeconds(p.Number("delete_grace_seconds", 600)),
            FollowUps = followUps,
            Pipeline = SegmentPipeline.Read(p.OptionalObject("pipeline"), extractAudio),
        };
    }
}

/// <summary>A job to queue for every segment; its <c>input_path</c> is the segment (or its audio).</summary>
internal sealed record SegmentFollowUp(string TaskType, JsonObject Parameters, bool ReadsAudio, int Priority)
{
    /// <summary>The follow-up for <paramref name="segment"/>, or <see langword="null"/> when it reads audio the segment does not have.</summary>
    public FollowUpJob? For(SegmentRecord segment)
    {
        if (ReadsAudio && segment.Audio is null)
        {
            return null;
        }

        var parameters = Parameters.DeepClone().AsObject();
        parameters["input_path"] = ReadsAudio ? segment.Audio : segment.File;
        return new FollowUpJob(TaskType, parameters) { Priority = Priority };
    }
}
