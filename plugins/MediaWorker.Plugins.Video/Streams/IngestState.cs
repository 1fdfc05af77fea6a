using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace MediaWorker.Plugins.Video.Streams;

/// <summary>
/// What a <c>stream_ingest</c> job has recorded so far: every segment, the next segment number and
/// the stream position. It is the job's checkpoint, committed with each segment, so the next
/// attempt after a crash continues with a new segment number instead of writing one twice.
/// </summary>
internal sealed class IngestState
{
    /// <summary>The number the next segment file gets.</summary>
    public long NextIndex { get; set; }

    /// <summary>Seconds of stream time so far, gaps included: where the next segment starts.</summary>
    public double Position { get; set; }

    /// <summary>Seconds of media actually recorded (gaps excluded), against max_duration_seconds.</summary>
    public double Recorded { get; set; }

    public int Reconnects { get; set; }

    public int Gaps { get; set; }

    public double GapSeconds { get; set; }

    /// <summary>How far the last segment lagged behind real time when it was recorded, in seconds.</summary>
    public double LagSeconds { get; set; }

    /// <summary>Wall time (epoch ms) of the last data received, to measure the gap after a reconnect or a resume.</summary>
    public long? LastDataAtMs { get; set; }

    public List<SegmentRecord> Segments { get; set; } = [];

    public static IngestState FromCheckpoint(JsonObject? checkpoint) =>
        checkpoint is null ? new IngestState() : checkpoint.Deserialize(IngestJson.Default.IngestState) ?? new IngestState();

    public JsonObject ToCheckpoint() => (JsonObject)JsonSerializer.SerializeToNode(this, IngestJson.Default.IngestState)!;
}

/// <summary>One recorded segment.</summary>
internal sealed class SegmentRecord
{
    public long Index { get; set; }

    /// <summary>The segment file's absolute path.</summary>
    public string File { get; set; } = string.Empty;

    /// <summary>Where it starts in the stream, in seconds from the ingest's start (gaps included).</summary>
    public double Start { get; set; }

    public double Duration { get; set; }

    /// <summary>Seconds without data just before this segment (a reconnect or a resumed worker); 0 for none.</summary>
    public double GapBefore { get; set; }

    /// <summary>The segment's audio as 16 kHz mono WAV, when audio extraction is on and the segment has audio.</summary>
    public string? Audio { get; set; }

    /// <summary>The follow-up jobs queued for this segment.</summary>
    public List<string> FollowUps { get; set; } = [];

    /// <summary>The pipeline run started for this segment, if the ingest names a pipeline.</summary>
    public string? PipelineRun { get; set; }

    /// <summary>What may still read the segment's files: its follow-up jobs and its pipeline run.</summary>
    [JsonIgnore]
    public IEnumerable<string> Readers => PipelineRun is null ? FollowUps : FollowUps.Append(PipelineRun);

    public long RecordedAtMs { get; set; }

    /// <summary>When it left the ring buffer (epoch ms); its files go once its follow-ups finished or the grace period passed.</summary>
    public long? EvictedAtMs { get; set; }

    /// <summary>True once its files were deleted.</summary>
    public bool Deleted { get; set; }

    /// <summary>
    /// True once its files were handed over to the host at the end of the ingest, still read by a
    /// follow-up: the host deletes them when their readers have finished or the grace period has passed.
    /// </summary>
    public bool Released { get; set; }

    /// <summary>Its files are the job's: recorded, and neither deleted nor handed over.</summary>
    [JsonIgnore]
    public bool Kept => !Deleted && !Released;
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(IngestState))]
internal sealed partial class IngestJson : JsonSerializerContext;
