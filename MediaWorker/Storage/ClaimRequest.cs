namespace MediaWorker.Storage;

/// <summary>What one claim asks for: up to <see cref="Limit"/> jobs, at most the allowance per task type.</summary>
/// <param name="Owner">The worker id recorded as lease owner.</param>
/// <param name="Allowances">Task types this worker serves now, with how many more of each it can start.</param>
/// <param name="Limit">Free slots in total.</param>
/// <param name="Lease">How long the lease lasts before it must be renewed.</param>
public sealed record ClaimRequest(string Owner, IReadOnlyList<(string TaskType, int Allowance)> Allowances, int Limit, TimeSpan Lease);
