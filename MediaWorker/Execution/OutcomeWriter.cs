using System.Threading.Channels;
using MediaWorker.Storage;

namespace MediaWorker.Execution;

/// <summary>
/// Writes attempt outcomes in groups: outcomes that arrive while the previous group is being
/// committed go into the next transaction together (group commit), which is what lets one worker
/// finish tens of thousands of short jobs per second.
/// </summary>
public sealed class OutcomeWriter : IAsyncDisposable
{
    private const int MaxBatch = 512;
    private readonly Channel<Pending> _channel = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly DatabaseThread _database;
    private readonly Func<long> _clock;
    private readonly Task _loop;

    public OutcomeWriter(DatabaseThread database, Func<long> clock)
    {
        _database = database;
        _clock = clock;
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Writes the outcome under the job's lease; false when the lease was lost and nothing changed.</summary>
    public Task<bool> WriteAsync(ClaimedJob job, JobOutcome outcome)
    {
        var pending = new Pending(job, outcome, new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_channel.Writer.TryWrite(pending))
        {
            pending.Completion.SetException(new ObjectDisposedException(nameof(OutcomeWriter)));
        }

        return pending.Completion.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Writer.TryComplete();
        await _loop;
    }

    private async Task LoopAsync()
    {
        var batch = new List<Pending>(MaxBatch);
        while (await _channel.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && _channel.Reader.TryRead(out var item))
            {
                batch.Add(item);
            }

            var entries = batch.Select(p => (p.Job, p.Outcome)).ToList();
            try
            {
                // Completion writes are not cancelled by shutdown: a finished job must be recorded.
                var applied = await _database.InvokeAsync(session => session.Writer.ApplyOutcomes(entries, _clock()));
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Completion.SetResult(applied[i]);
                }
            }
            catch (Exception ex)
            {
                foreach (var pending in batch)
                {
                    pending.Completion.TrySetException(ex);
                }
            }

            batch.Clear();
        }
    }

    private sealed record Pending(ClaimedJob Job, JobOutcome Outcome, TaskCompletionSource<bool> Completion);
}
