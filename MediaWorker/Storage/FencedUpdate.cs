namespace MediaWorker.Storage;

/// <summary>
/// One kind of fenced write to claimed jobs' rows: <c>UPDATE jobs SET <see cref="Set"/></c> where
/// the job id, its lease token and status <c>processing</c> still match
/// (<see cref="LeasedJobWriter.Fence"/>). <see cref="Set"/> is portable SQL: it names each job's
/// own values as parameters (<see cref="Values"/>, e.g. <c>@output</c>) and the batch's clock as <c>@now</c>.
/// </summary>
internal sealed record FencedUpdate(string Set, params string[] Values);
