namespace MediaWorker.WhisperModels;

/// <summary>A model file that was pulled and checked.</summary>
/// <param name="Path">Where it is now.</param>
/// <param name="Sha1">Its SHA-1, lower-case hex.</param>
/// <param name="Verified">True when the SHA-1 was compared with a published (or given) one and matched.</param>
/// <param name="Length">Its size in bytes.</param>
/// <param name="Info">What its header says.</param>
public sealed record PulledModel(string Path, string Sha1, bool Verified, long Length, ModelFileInfo Info);
