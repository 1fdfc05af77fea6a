using MediaWorker.Plugins.Abstractions;

namespace MediaWorker.Plugins.Video.Streams;

/// <summary>
/// The ring buffer: at most max_segments recorded segments are kept. An older one leaves the
/// buffer at once, but its files (segment and audio) are deleted only when every follow-up job
/// that reads them, and its pipeline run, has finished, or when the grace period (delete_grace_seconds) has passed since
/// it left, whichever comes first, so a slow transcription never loses its input.
/// </summary>
internal sealed class SegmentRetention(int maxSegments, TimeSpan grace, IJobCheckpoints checkpoints, TimeProvider time)
{
    /// <summary>Marks the segments beyond the buffer as evicted, and those whose files may go as deleted; returns the files to delete once that is committed.</summary>
    public async Task<IReadOnlyList<string>> SweepAsync(IngestState state, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var kept = state.Segments.Where(s => s.EvictedAtMs is null).ToList();
        foreach (var segment in kept.Take(Math.Max(0, kept.Count - maxSegments)))
        {
            segment.EvictedAtMs = now;
        }

        var leaving = state.Segments.Where(s => s.EvictedAtMs is not null && s.Kept).ToList();
        if (leaving.Count == 0)
        {
            return [];
        }

        var unfinished = await checkpoints.UnfinishedAsync([.. leaving.SelectMany(s => s.Readers)], cancellationToken);
        var files = new List<string>();
        foreach (var segment in leaving)
        {
            var graceOver = now - segment.EvictedAtMs >= (long)grace.TotalMilliseconds;
            if (graceOver || !segment.Readers.Any(unfinished.Contains))
            {
                segment.Deleted = true;
                files.Add(segment.File);
                if (segment.Audio is { } audio)
                {
                    files.Add(audio);
                }
            }
        }

        return files;
    }

    /// <summary>
    /// At the end of the ingest: hands the files of the segments that left the buffer but are still
    /// read over to the host, which deletes them once their readers finish, or when their grace
    /// period ends.
    /// </summary>
    public IReadOnlyList<FileRelease> Release(IngestState state)
    {
        var releases = new List<FileRelease>();
        foreach (var segment in state.Segments.Where(s => s.EvictedAtMs is not null && s.Kept))
        {
            segment.Released = true;
            var deadline = DateTimeOffset.FromUnixTimeMilliseconds(segment.EvictedAtMs!.Value) + grace;
            releases.Add(new FileRelease(segment.Audio is { } audio ? [segment.File, audio] : [segment.File], [.. segment.Readers], deadline));
        }

        return releases;
    }

    /// <summary>Deletes files; one already gone is fine (a resumed attempt repeating a deletion).</summary>
    public static void Delete(IEnumerable<string> files)
    {
        foreach (var file in files)
        {
            File.Delete(file);
        }
    }
}
