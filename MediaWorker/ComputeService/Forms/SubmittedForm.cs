namespace MediaWorker.ComputeService.Forms;

/// <summary>The upload of a job form, already stored in the job's folder.</summary>
/// <param name="RelativePath"><c>input/&lt;sanitised name&gt;</c>, relative to the job's folder.</param>
/// <param name="ClientName">The name the client sent (for messages only; never used as a path).</param>
public sealed record StoredUpload(string RelativePath, string ClientName, long Bytes);

/// <summary>A job form as read: its text fields and, when one was sent, the stored upload.</summary>
public sealed record SubmittedForm(IReadOnlyDictionary<string, string> Fields, StoredUpload? Upload);
