namespace MediaWorker.WhisperModels;

/// <summary>How far a model download is.</summary>
/// <param name="Received">Bytes on disk so far (including a resumed part).</param>
/// <param name="Total">The file's full size when the server said it; otherwise <see langword="null"/>.</param>
/// <param name="Resumed">Bytes that were already on disk from an earlier, interrupted attempt.</param>
public sealed record DownloadProgress(long Received, long? Total, long Resumed);
