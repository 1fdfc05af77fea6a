namespace MediaWorker.Storage;

/// <summary>
/// Ids for new rows (jobs, pipeline runs, file releases): time-ordered UUIDs (RFC 9562 version 7),
/// written in the usual 36-character form, so they still read as uuids to every client.
/// </summary>
/// <remarks>
/// Random (version 4) ids put every insert on a random leaf of the unique <c>job_id</c> index, and
/// every such page is written whole into the WAL at commit: in a 300,000-job run that made the commit
/// a third of the queue's time (26-30 µs per job, against 3.5 µs with time-ordered ids), and the
/// fenced writes, which find a job by its id, read cold pages. Time-ordered ids land on the index's
/// right edge, next to each other (within one millisecond their order is random, which costs nothing). They keep 74 random bits, so they are no easier to guess.
/// </remarks>
public static class RowIds
{
    /// <summary>A new id: its leading 48 bits are the Unix time in milliseconds, the rest random.</summary>
    public static string New() => Guid.CreateVersion7().ToString();
}
