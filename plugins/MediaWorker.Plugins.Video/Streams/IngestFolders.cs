namespace MediaWorker.Plugins.Video.Streams;

/// <summary>Where an ingest writes, inside the job's output folder (the same for every attempt): segments/, audio/ and segments.csv.</summary>
internal sealed record IngestFolders(string Segments, string Audio, string Csv)
{
    public static IngestFolders Create(string outputDirectory)
    {
        var folders = new IngestFolders(Path.Combine(outputDirectory, "segments"), Path.Combine(outputDirectory, "audio"), Path.Combine(outputDirectory, SegmentCsv.FileName));
        DiskFull.Guard(outputDirectory, () =>
        {
            Directory.CreateDirectory(folders.Segments);
            Directory.CreateDirectory(folders.Audio);
        });
        return folders;
    }

    /// <summary>
    /// For a resumed job: removes what the killed attempt wrote after its last commit (a segment it
    /// was still writing, an audio file half done) and files it had marked deleted but not yet removed.
    /// The next segment then takes the first number not recorded, and nothing is listed twice.
    /// </summary>
    public void RemoveUnrecorded(IngestState state)
    {
        var deleted = state.Segments.Where(s => s.Deleted).Select(s => s.Index).ToHashSet();
        foreach (var file in Directory.EnumerateFiles(Segments).Concat(Directory.EnumerateFiles(Audio)))
        {
            var name = Path.GetFileName(file);
            var index = SegmentListLine.IndexOf(Path.ChangeExtension(name, SegmentListLine.FileExtension));
            if (name.Contains(".partial", StringComparison.Ordinal) || index is null || index >= state.NextIndex || deleted.Contains(index.Value))
            {
                File.Delete(file);
            }
        }
    }
}
