using MediaWorker.Ffmpeg.Inputs;
using MediaWorker.Ffmpeg.Running;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.Video.Common;
using Microsoft.Extensions.Logging;

namespace MediaWorker.Plugins.Video.Streams;

/// <summary>
/// Records each completed segment: its audio extracted (when asked), its follow-ups and pipeline run
/// built, the ring buffer swept, and then the segment record, the follow-ups, the run and the
/// progress committed in one checkpoint. Files leave only after that commit, and the CSV list is rewritten from it.
/// </summary>
internal sealed class SegmentRecorder(
    VideoServices services,
    IJobContext job,
    StreamIngestOptions options,
    IngestState state,
    SegmentRetention retention,
    string segmentFolder,
    string audioFolder,
    string csvPath,
    TimeProvider time)
{
    /// <summary>When data last arrived before a reconnect or a resume: the next segment records the gap since then.</summary>
    public DateTimeOffset? GapSince { get; set; }

    public async Task RecordAsync(SegmentListLine line, DateTimeOffset sessionFirstData)
    {
        var file = Path.Combine(segmentFolder, line.FileName);
        state.NextIndex = Math.Max(state.NextIndex, line.Index + 1);
        if (line.Duration < 0.01 || !File.Exists(file))
        {
            // The muxer closes an empty last segment when the input ends on a cut.
            File.Delete(file);
            return;
        }

        var now = time.GetUtcNow();
        var gap = GapSince is { } since ? Math.Round(Math.Max(0, (sessionFirstData - since).TotalSeconds), 3) : 0;
        GapSince = null;
        var segment = new SegmentRecord
        {
            Index = line.Index,
            File = file,
            Start = state.Position + gap,
            Duration = line.Duration,
            GapBefore = gap,
            RecordedAtMs = now.ToUnixTimeMilliseconds(),
        };
        if (gap > 0)
        {
            state.Gaps++;
            state.GapSeconds += gap;
        }

        if (options.ExtractAudio)
        {
            segment.Audio = await ExtractAudioAsync(file, line.Index);
        }

        var followUps = options.FollowUps.Select(f => f.For(segment)).OfType<FollowUpJob>().ToList();
        segment.FollowUps.AddRange(followUps.Select(f => f.JobId));
        var run = options.Pipeline?.For(segment);
        segment.PipelineRun = run?.RunId;
        state.Position = segment.Start + segment.Duration;
        state.Recorded += segment.Duration;
        state.LastDataAtMs = now.ToUnixTimeMilliseconds();
        state.LagSeconds = Math.Max(0, Math.Round((now - sessionFirstData).TotalSeconds - line.End, 3));
        state.Segments.Add(segment);
        var leaving = await retention.SweepAsync(state, CancellationToken.None);

        // The segment is on disk: record it even when the job is being cancelled.
        await job.Checkpoints.CommitAsync(
            new JobCheckpoint(state.ToCheckpoint()) { FollowUps = followUps, PipelineRuns = run is null ? [] : [run], Progress = Progress() },
            CancellationToken.None);

        DiskFull.Guard(segmentFolder, () =>
        {
            SegmentRetention.Delete(leaving);
            SegmentCsv.Write(csvPath, state.Segments);
        });
        job.Logger.LogInformation(
            "Segment {Index} recorded: {Duration:0.00} s at {Start:0.00} s in the stream{Gap}.",
            segment.Index,
            segment.Duration,
            segment.Start,
            segment.GapBefore > 0 ? $", after a gap of {segment.GapBefore:0.0} s" : string.Empty);
    }

    /// <summary>
    /// At the end of the ingest (also a cancelled one): deletes what the ring buffer lets go of now,
    /// hands the segments still read by their follow-ups over to the host, and commits that.
    /// </summary>
    public async Task FinishAsync()
    {
        var leaving = await retention.SweepAsync(state, CancellationToken.None);
        var releases = retention.Release(state);
        if (leaving.Count == 0 && releases.Count == 0)
        {
            return;
        }

        await job.Checkpoints.CommitAsync(new JobCheckpoint(state.ToCheckpoint()) { FileReleases = releases }, CancellationToken.None);
        DiskFull.Guard(segmentFolder, () =>
        {
            SegmentRetention.Delete(leaving);
            SegmentCsv.Write(csvPath, state.Segments);
        });
    }

    private int? Progress() => options.MaxDuration is { } max ? (int)Math.Min(99, state.Recorded / max.TotalSeconds * 100) : null;

    /// <summary>
    /// Runs even while the job is being cancelled: a cancel finishes the segment being recorded,
    /// its audio included (a few hundred milliseconds for a segment of minutes).
    /// </summary>
    private async Task<string?> ExtractAudioAsync(string segmentFile, long index)
    {
        var info = await services.Ffprobe.ProbeAsync(MediaInput.FromFile(segmentFile), CancellationToken.None);
        if (info.PrimaryAudio is null)
        {
            job.Logger.LogWarning("Segment {Index} has no audio track; no audio file for it.", index);
            return null;
        }

        var audio = Path.Combine(audioFolder, Path.ChangeExtension(SegmentListLine.FileNameOf(index), ".wav"));
        var partial = audio + ".partial.wav";
        await services.Ffmpeg.RunAsync(
            [.. MediaInput.FromFile(segmentFile).Arguments(), "-map", "0:a:0", "-vn", "-ac", "1", "-ar", "16000", "-c:a", "pcm_s16le", "-f", "wav", partial],
            new FfmpegRunOptions(),
            CancellationToken.None);
        File.Move(partial, audio, overwrite: true);
        return audio;
    }
}
