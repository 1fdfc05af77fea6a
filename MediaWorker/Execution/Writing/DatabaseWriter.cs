using System.Data;
using System.Data.Common;
using System.Threading.Channels;
using MediaWorker.Messaging;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Storage;
using Microsoft.Data.Sqlite;

namespace MediaWorker.Execution.Writing;

/// <summary>
/// The worker's single writer: one dedicated thread (SQLite calls block) that owns the write
/// connection and takes every write the worker makes from one channel: claims, outcomes (with their
/// follow-ups), progress and lease renewals, maintenance. Whatever has queued while the previous
/// transaction ran goes into the next one together (group commit), so a busy worker pays one
/// BEGIN IMMEDIATE/COMMIT for hundreds of jobs. Results and job events are handed on after the
/// commit; the events are published by <see cref="JobEventAnnouncer"/>, outside this thread.
/// </summary>
/// <remarks>
/// If a statement fails, the batch is rolled back and each request runs again in its own
/// transaction, so one bad request fails alone. A <see cref="DatabaseBusyException"/> at BEGIN is
/// not retried: it fails the whole batch (the lock was held past DATABASE_BUSY_TIMEOUT).
/// Before each batch touches SQLite, <see cref="DatabaseFileGuard"/> checks the files: a batch
/// against a deleted, replaced or unwritable database fails whole with
/// <see cref="DatabaseFileException"/>, and nothing is written into a file that is no longer the one
/// at the path or into a <c>-shm</c> mapping that would fault.
/// A connection that breaks (a PostgreSQL server restart) is replaced before the next batch; while
/// the server does not answer, batches fail at once and the next connection is tried after the
/// reconnect backoff, so the callers' own retries (the claim loop's poll, lease renewals) go on.
/// </remarks>
public sealed class DatabaseWriter : IDisposable
{
    private const int MaxBatch = 1024;
    private readonly Channel<WriteRequest> _requests = Channel.CreateUnbounded<WriteRequest>(new UnboundedChannelOptions { SingleReader = true });
    private static readonly ExponentialBackoff ReconnectBackoff = new(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(5));
    private readonly IJobStore _store;
    private readonly DatabaseFileGuard? _guard;
    private WriterSession? _session;
    private Exception? _unreachable;
    private int _reconnectFailures;
    private DateTimeOffset _reconnectAt;
    private readonly JobEventAnnouncer _announcer;
    private readonly JobEventFactory _events;
    private readonly TimeProvider _time;
    private readonly Thread _thread;

    /// <summary>
    /// Wakes the writer thread directly: awaiting the channel from a dedicated thread would route
    /// every wake-up through a thread-pool continuation, which on a loaded box costs milliseconds.
    /// </summary>
    private readonly ManualResetEventSlim _pending = new(false, spinCount: 0);

    /// <param name="store">Opens the write connection (again, after it broke).</param>
    /// <param name="guard">For a SQLite file, checked before every batch: nothing runs against a deleted, replaced or unwritable file.</param>
    /// <param name="announcer">Publishes the job events of each commit.</param>
    /// <param name="events">Builds those events.</param>
    /// <param name="time">The clock for every row's timestamps.</param>
    public DatabaseWriter(IJobStore store, DatabaseFileGuard? guard, JobEventAnnouncer announcer, JobEventFactory events, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _guard = guard;
        _session = WriterSession.Open(store);
        _announcer = announcer;
        _events = events;
        _time = time;
        _thread = new Thread(Run) { IsBackground = true, Name = "mediaworker-db" };
        _thread.Start();
    }

    /// <summary>Claims jobs; their <c>processing</c> events are announced after the commit.</summary>
    public Task<IReadOnlyList<ClaimedJob>> ClaimAsync(ClaimRequest request) => Post(new ClaimWrite(request, _events));

    /// <summary>Writes an attempt's outcome under its lease; false when the lease was lost and nothing changed.</summary>
    public Task<bool> SettleAsync(ClaimedJob job, JobOutcome outcome, int progress) => Post(new OutcomeWrite(job, outcome, progress, _events));

    /// <summary>Writes progress values; per entry whether the lease still held.</summary>
    public Task<bool[]> WriteProgressAsync(IReadOnlyList<(ClaimedJob Job, int Progress)> values) => Post(new ProgressWrite(values, _events));

    /// <summary>Stores a job's checkpoint (state, follow-ups, pipeline runs, file releases, progress) in one transaction; false when the lease was lost and nothing changed.</summary>
    public Task<bool> CommitCheckpointAsync(ClaimedJob job, CheckpointRows rows) => Post(new CheckpointWrite(job, rows, _events));

    /// <summary>Extends leases; per job whether the lease still held.</summary>
    public Task<bool[]> RenewLeasesAsync(IReadOnlyList<ClaimedJob> jobs, TimeSpan lease) => Post(new LeaseRenewal(jobs, lease));

    /// <summary>Runs maintenance work on the writer connection (<paramref name="inTransaction"/>: false for checkpoints).</summary>
    public Task<T> InvokeAsync<T>(Func<WriterSession, long, T> work, bool inTransaction = true) => Post(new MaintenanceWrite<T>(work, inTransaction));

    /// <summary>Finishes what is queued, then closes the connection.</summary>
    public void Dispose()
    {
        _requests.Writer.TryComplete();
        _pending.Set();
        _thread.Join(TimeSpan.FromSeconds(30));
        if (_guard?.Check() is not null && _session?.Connection is SqliteConnection sqlite)
        {
            // Closing the last connection checkpoints, which writes the -shm mapping (SIGBUS when it
            // cannot be written) and the database file (perhaps a deleted one): skip that checkpoint.
            ClosingCheckpoint.Disable(sqlite);
        }

        _session?.Dispose();
        _pending.Dispose();
    }

    private Task<T> Post<T>(WriteRequest<T> request)
    {
        if (!_requests.Writer.TryWrite(request))
        {
            request.Fail(new ObjectDisposedException(nameof(DatabaseWriter)));
            return request.Task;
        }

        _pending.Set();
        return request.Task;
    }

    private void Run()
    {
        var batch = new List<WriteRequest>(MaxBatch);
        var reader = _requests.Reader;
        while (true)
        {
            // Reset before looking, so a request written after the look sets it again.
            _pending.Reset();
            if (!reader.TryRead(out var first))
            {
                if (reader.Completion.IsCompleted)
                {
                    return;
                }

                _pending.Wait();
                continue;
            }

            batch.Add(first);
            while (batch.Count < MaxBatch && reader.TryRead(out var next))
            {
                batch.Add(next);
            }

            WriteBatch(batch);
            batch.Clear();
        }
    }

    private void WriteBatch(List<WriteRequest> batch)
    {
        if (_guard?.Check() is { } problem)
        {
            batch.ForEach(r => r.Fail(new DatabaseFileException(problem)));
            return;
        }

        if (!Connected())
        {
            batch.ForEach(r => r.Fail(_unreachable!));
            return;
        }

        var start = 0;
        for (var i = 0; i <= batch.Count; i++)
        {
            // Requests that must run outside a transaction split the batch and run alone.
            if (i == batch.Count || !batch[i].InTransaction)
            {
                if (i > start)
                {
                    WriteTogether(batch.GetRange(start, i - start));
                }

                if (i < batch.Count)
                {
                    WriteAlone(batch[i], transaction: false);
                }

                start = i + 1;
            }
        }
    }

    /// <summary>
    /// Whether the session's connection is open, opening a new one when the old one broke and the
    /// backoff allows. A SQLite connection never breaks; a PostgreSQL one does when the server restarts.
    /// </summary>
    private bool Connected()
    {
        if (_session is { } session)
        {
            if (session.Connection.State == ConnectionState.Open)
            {
                return true;
            }

            session.Dispose();
            _session = null;
            _reconnectAt = _time.GetUtcNow();
            (_store as Storage.Postgres.PostgresJobStore)?.ForgetIdleConnections();
        }

        if (_time.GetUtcNow() < _reconnectAt)
        {
            _unreachable ??= new InvalidOperationException("The job database connection broke; reconnecting.");
            return false;
        }

        try
        {
            _session = WriterSession.Open(_store);
            _reconnectFailures = 0;
            _unreachable = null;
            return true;
        }
        catch (Exception ex) when (ex is DbException or IOException or TimeoutException or InvalidOperationException)
        {
            _unreachable = ex;
            _reconnectAt = _time.GetUtcNow() + ReconnectBackoff.Delay(++_reconnectFailures);
            return false;
        }
    }

    private WriterSession Session => _session!;

    private void WriteTogether(List<WriteRequest> requests)
    {
        if (requests.Count == 1)
        {
            WriteAlone(requests[0], transaction: true);
            return;
        }

        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        try
        {
            using (var transaction = WriteTransaction.Begin(Session.Connection))
            {
                ExecuteAll(requests, now);
                transaction.Commit();
            }
        }
        catch (DatabaseBusyException busy)
        {
            requests.ForEach(r => r.Fail(busy));
            return;
        }
        catch (Exception)
        {
            // One request's statement failed: run each alone, so only that one fails.
            requests.ForEach(r => WriteAlone(r, transaction: true));
            return;
        }

        Committed(requests);
    }

    private void WriteAlone(WriteRequest request, bool transaction)
    {
        try
        {
            var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
            if (transaction)
            {
                using var write = WriteTransaction.Begin(Session.Connection);
                request.Execute(Session, now);
                write.Commit();
            }
            else
            {
                request.Execute(Session, now);
            }
        }
        catch (Exception ex)
        {
            request.Fail(ex);
            return;
        }

        Committed([request]);
    }

    /// <summary>Runs of outcomes go through one prepared-statement loop; everything else one by one, in arrival order.</summary>
    private void ExecuteAll(List<WriteRequest> requests, long now)
    {
        var outcomes = new List<OutcomeWrite>();
        foreach (var request in requests)
        {
            if (request is OutcomeWrite outcome)
            {
                outcomes.Add(outcome);
                continue;
            }

            Flush(outcomes, now);
            request.Execute(Session, now);
        }

        Flush(outcomes, now);
    }

    private void Flush(List<OutcomeWrite> outcomes, long now)
    {
        if (outcomes.Count == 0)
        {
            return;
        }

        var written = Session.Writer.ApplyOutcomes(outcomes.ConvertAll(o => (o.Job, o.Outcome)), now);
        for (var i = 0; i < outcomes.Count; i++)
        {
            outcomes[i].SetWritten(written[i]);
        }

        outcomes.Clear();
    }

    private void Committed(List<WriteRequest> requests)
    {
        var events = new List<AnnouncedEvent>();
        foreach (var request in requests)
        {
            request.Committed(events);
        }

        if (events.Count > 0)
        {
            _announcer.Announce(events);
        }
    }
}
