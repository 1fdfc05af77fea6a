using System.Text.Json;
using System.Text.Json.Nodes;
using MediaWorker.Execution.Writing;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Storage;

namespace MediaWorker.Execution;

/// <summary>
/// The daemon's <see cref="IJobCheckpoints"/>: commits go through the single <see cref="DatabaseWriter"/>
/// as one fenced transaction; reads use a connection of their own, off the writer thread.
/// </summary>
public sealed class JobCheckpoints(ActiveJob active, DatabaseWriter writer, IJobStore connections, string workerId) : IJobCheckpoints
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
        var progress = checkpoint.Progress is { } value ? Math.Clamp(value, 0, 100) : (int?)null;
        var written = await writer.CommitCheckpointAsync(active.Job, checkpoint.State.ToJsonString(JsonSerializerOptions.Default), followUps, progress)
            .WaitAsync(cancellationToken);
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
