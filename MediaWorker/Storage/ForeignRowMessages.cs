namespace MediaWorker.Storage;

/// <summary>What a job's error_message says when a foreign producer's row cannot be run as written.</summary>
public static class ForeignRowMessages
{
    /// <param name="quoted">The stored value, quoted as SQLite's quote() does.</param>
    public static string UnreadableRunAfter(string quoted) =>
        $"run_after holds {quoted}, which is not a time: it must be Unix milliseconds (an integer; 0 for now). The job was not run; fix the producer, and 'mediaworker retry' runs this one now.";
}
