using System.Security.Cryptography;

namespace MediaWorker.Plugins.Image.Processing;

/// <summary>Hashes a file of any size with a fixed buffer, reporting progress and honouring cancellation.</summary>
internal static class StreamingFileHasher
{
    private const int BufferSize = 1 << 20;

    /// <summary>The hash algorithms offered (the schema's enum).</summary>
    public static IReadOnlyList<string> Algorithms { get; } = ["sha256", "sha512", "md5"];

    public static async Task<string> HashAsync(string path, string algorithm, IProgress<int> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(progress);
        using var hash = IncrementalHash.CreateHash(algorithm switch
        {
            "sha256" => HashAlgorithmName.SHA256,
            "sha512" => HashAlgorithmName.SHA512,
            // MD5 is offered for matching existing checksums, not for security.
            "md5" => HashAlgorithmName.MD5,
            _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Unknown hash algorithm."),
        });
        await using var stream = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.Open,
            Access = FileAccess.Read,
            Share = FileShare.Read,
            BufferSize = 0,
            Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
        });
        var length = stream.Length;
        var buffer = new byte[BufferSize];
        long done = 0;
        var lastPercent = -1;
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            done += read;
            var percent = length == 0 ? 90 : (int)(done * 90 / length);
            if (percent != lastPercent)
            {
                progress.Report(percent);
                lastPercent = percent;
            }
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
