using System.Security.Cryptography;

namespace MediaWorker.WhisperModels;

/// <summary>The SHA-1 whisper.cpp publishes its models by.</summary>
public static class FileSha1
{
    /// <summary>The SHA-1 of a file, lower-case hex.</summary>
    public static async Task<string> OfAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 20, useAsync: true);
#pragma warning disable CA5350 // SHA-1 is what whisper.cpp publishes; it identifies a download, it protects no secret.
        var hash = await SHA1.HashDataAsync(stream, cancellationToken);
#pragma warning restore CA5350
        return Convert.ToHexStringLower(hash);
    }
}
