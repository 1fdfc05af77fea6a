using System.Data.Common;
using System.Text.Json;
using Dapper;

namespace MediaWorker.Storage;

/// <summary>A file release as a row (<see cref="SchemaStep7FileReleases"/>).</summary>
/// <param name="Paths">The files.</param>
/// <param name="ReadBy">Job ids and pipeline run ids that may still read them.</param>
/// <param name="DeleteAtMs">The deadline, epoch ms.</param>
public sealed record CheckpointRelease(IReadOnlyList<string> Paths, IReadOnlyList<string> ReadBy, long DeleteAtMs);

/// <summary>
/// Reads and writes <c>file_releases</c>: inserted in a checkpoint's transaction, and taken by this
/// machine's maintenance loop (<see cref="Execution.FileReleaser"/>) once due.
/// </summary>
public static class FileReleaseStore
{
    /// <summary>The machine name rows are kept under: a file path means something on its own machine only.</summary>
    public static string Host { get; } = Environment.MachineName;

    /// <summary>Inserts releases inside the caller's transaction.</summary>
    public static void Insert(DbConnection connection, string jobId, IReadOnlyList<CheckpointRelease> releases, long nowMs)
    {
        foreach (var release in releases)
        {
            connection.Execute(
                "INSERT INTO file_releases (release_id, job_id, host, paths, read_by, delete_at, created_at) VALUES (@id, @jobId, @host, @paths, @readBy, @deleteAt, @now)",
                new
                {
                    id = RowIds.New(),
                    jobId,
                    host = Host,
                    paths = JsonSerializer.Serialize(release.Paths),
                    readBy = JsonSerializer.Serialize(release.ReadBy),
                    deleteAt = release.DeleteAtMs,
                    now = nowMs,
                });
        }
    }

    /// <summary>This machine's releases whose readers have all finished or whose deadline has passed: id and files.</summary>
    public static IReadOnlyList<(string ReleaseId, IReadOnlyList<string> Paths)> Due(DbConnection connection, long nowMs)
    {
        var rows = connection.Query<(string Id, string Paths, string ReadBy, long DeleteAt)>(
            "SELECT release_id, paths, read_by, delete_at FROM file_releases WHERE host = @host", new { host = Host }).ToList();
        if (rows.Count == 0)
        {
            return [];
        }

        var readers = rows.ToDictionary(r => r.Id, r => JsonSerializer.Deserialize<string[]>(r.ReadBy) ?? [], StringComparer.Ordinal);
        var unfinished = CheckpointStore.Unfinished(connection, [.. readers.Values.SelectMany(r => r).Distinct(StringComparer.Ordinal)]).ToHashSet(StringComparer.Ordinal);
        return rows
            .Where(r => r.DeleteAt <= nowMs || !readers[r.Id].Any(unfinished.Contains))
            .Select(r => (r.Id, (IReadOnlyList<string>)(JsonSerializer.Deserialize<string[]>(r.Paths) ?? [])))
            .ToList();
    }

    /// <summary>Removes releases whose files are gone.</summary>
    public static int Remove(DbConnection connection, IReadOnlyCollection<string> releaseIds) =>
        releaseIds.Count == 0
            ? 0
            : connection.Execute($"DELETE FROM file_releases WHERE {SqlDialect.Of(connection).OneOf("release_id", "@ids")}", new { ids = SqlDialect.Of(connection).List(releaseIds) });
}
