namespace MediaWorker.Execution;

/// <summary>Why a running job's cancellation token fired; decides how the attempt is written.</summary>
public enum StopReason
{
    None,
    /// <summary>Someone ran <c>mediaworker cancel</c>: the job ends cancelled.</summary>
    CancelRequested,
    /// <summary>The attempt ran past its timeout: a retryable failure.</summary>
    TimedOut,
    /// <summary>The shutdown grace period ended: the job is re-queued without spending the attempt.</summary>
    Shutdown,
    /// <summary>The lease could not be renewed (another worker has the job now): nothing may be written.</summary>
    LeaseLost,
}
