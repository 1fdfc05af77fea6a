namespace MediaWorker.Plugins.Gemini.Api;

/// <summary>A File API resource (<c>files/{id}</c>).</summary>
internal sealed record GeminiFile
{
    /// <summary>The resource name, <c>files/{id}</c>.</summary>
    public required string Name { get; init; }

    public string? DisplayName { get; init; }

    public string? MimeType { get; init; }

    /// <summary>int64 in proto JSON, so a string.</summary>
    public string? SizeBytes { get; init; }

    /// <summary>The URI to reference in a <c>fileData</c> part.</summary>
    public string? Uri { get; init; }

    /// <summary><c>PROCESSING</c>, <c>ACTIVE</c> or <c>FAILED</c>.</summary>
    public string? State { get; init; }

    public GeminiStatus? Error { get; init; }
}

/// <summary>A google.rpc.Status as the File API reports a processing failure.</summary>
internal sealed record GeminiStatus(int Code, string? Message);

/// <summary>The body of a finalized upload.</summary>
internal sealed record UploadedFileResponse(GeminiFile? File);

/// <summary>The metadata sent with the resumable upload's start request.</summary>
internal sealed record StartUploadRequest(StartUploadFile File);

internal sealed record StartUploadFile(string DisplayName);
