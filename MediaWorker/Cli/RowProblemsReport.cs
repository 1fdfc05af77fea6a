using MediaWorker.Storage;

namespace MediaWorker.Cli;

/// <summary>Says on stderr which rows held values that did not fit their columns, so stdout stays the listing.</summary>
internal static class RowProblemsReport
{
    public static void Write(IEnumerable<JobRecord> rows, TextWriter error)
    {
        foreach (var row in rows)
        {
            foreach (var problem in row.ReadProblems)
            {
                error.WriteLine($"mediaworker: warning: row {row.Id} (job {(row.JobId.Length > 0 ? row.JobId : "without job_id")}): {problem}.");
            }
        }
    }
}
