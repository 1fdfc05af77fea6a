using System.Text.Json;
using System.Text.Json.Nodes;
using MediaWorker.Execution.Writing;
using MediaWorker.JobRequests;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Storage;

namespace MediaWorker.Execution;

/// <summary>
/// The daemon's <see cref="IJobCheckpoints"/>: commits go through the single <see cref="DatabaseWriter"/>
/// as one fenced transaction; reads use a connection of their own, off the writer thread.
/// </summary>
/// <param name="outputDirectory">The job's output folder: the only place whose files a checkpoint may hand over for deletion.</param>
public sealed class JobCheckpoints(ActiveJob active, DatabaseWriter writer, IJobStore connections, string workerId, string outputDirectory) : IJobCheckpoints
{
    public Task<JsonObject?> LoadAsync(CancellationToken cancellationToken) => ReadAsync(
        connection => CheckpointStore.Read(connection, active.Job.JobId) is { } json
            ? JsonNode.Parse(json) as JsonObject ?? throw new InvalidDataException($"The checkpoint of job {active.Job.JobId} is not a JSON object.")
            : null,
        cancellationToken);

    public async Task<IReadOnlyList<string>> CommitAsync(JobCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var followUps = checkpoint.FollowUps.Select(f => FollowUpCollector.ToNewJob(f, active.Job.JobId, workerId)).ToList();
        var runs = checkpoint.PipelineRuns.Select(ToRun).ToList();
        var releases = checkpoint.FileReleases.Select(ToRelease).ToList();
        var progress = checkpoint.Progress is { } value ? Math.Clamp(value, 0, 100) : (int?)null;
        bool written;
        try
        {
            var rows = new CheckpointRows(checkpoint.State.ToJsonString(JsonSerializerOptions.Default), followUps, runs, releases, progress);
            written = await writer.CommitCheckpointAsync(active.Job, rows).WaitAsync(cancellationToken);
        }
        catch (JobRequestException ex) when (ex.Failure == JobRequestFailure.NotFound)
        {
            // A pipeline that is not stored: storing it is up to a person, so no retry can help.
            throw new PermanentJobException($"Job {active.Job.JobId}: the checkpoint was not written: {ex.Message}", ex);
        }

        if (!written)
        {
            throw new JobLeaseLostException($"Job {active.Job.JobId}: this attempt lost the lease (another worker reclaimed the job, or it was settled); the checkpoint was not written.");
        }

        if (progress is { } stored)
        {
            // Already in the row: the monitor need not write it again.
            active.ReportProgress(stored);
            active.WrittenProgress = stored;
        }

        return followUps.ConvertAll(f => f.JobId);
    }

    private CheckpointRun ToRun(PipelineRunStart run)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentException.ThrowIfNullOrWhiteSpace(run.Pipeline);
        ArgumentException.ThrowIfNullOrWhiteSpace(run.Key);
        var job = active.Job.JobId;
        return new CheckpointRun(run.RunId, run.Pipeline, run.Input.ToJsonString(JsonSerializerOptions.Default), $"checkpoint:{job}:{run.Key}", "job:" + job);
    }

    private CheckpointRelease ToRelease(FileRelease release)
    {
        ArgumentNullException.ThrowIfNull(release);
        var folder = Path.TrimEndingDirectorySeparator(Path.GetFullPath(outputDirectory)) + Path.DirectorySeparatorChar;
        var paths = release.Paths.Select(Path.GetFullPath).ToList();
        if (paths.FirstOrDefault(p => !p.StartsWith(folder, StringComparison.Ordinal)) is { } outside)
        {
            throw new ArgumentException($"A checkpoint may hand over only files in the job's output folder '{folder}', not '{outside}'.", nameof(release));
        }

        return new CheckpointRelease(paths, [.. release.ReadBy], release.DeleteBy.ToUnixTimeMilliseconds());
    }

    public Task<IReadOnlySet<string>> UnfinishedAsync(IReadOnlyCollection<string> jobIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobIds);
        return ReadAsync<IReadOnlySet<string>>(connection => CheckpointStore.Unfinished(connection, jobIds).ToHashSet(StringComparer.Ordinal), cancellationToken);
    }

    /// <summary>SQLite calls block: run them on the pool, not on the handler's async flow.</summary>
    private Task<T> ReadAsync<T>(Func<System.Data.Common.DbConnection, T> read, CancellationToken cancellationToken) =>
        Task.Run(
            () =>
            {
                using var connection = connections.Open();
                return read(connection);
            },
            cancellationToken);
}
