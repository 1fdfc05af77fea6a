namespace MediaWorker.ComputeService.Uploads;

/// <summary>The upload passed <c>COMPUTE_UPLOAD_MAX_MB</c>; what was written of it is deleted.</summary>
public sealed class UploadTooLargeException : Exception
{
    public UploadTooLargeException(long limitBytes)
        : base($"The upload is larger than the limit of {limitBytes / (1024 * 1024)} MiB (COMPUTE_UPLOAD_MAX_MB).")
    {
    }

    public UploadTooLargeException()
    {
    }

    public UploadTooLargeException(string message)
        : base(message)
    {
    }

    public UploadTooLargeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
