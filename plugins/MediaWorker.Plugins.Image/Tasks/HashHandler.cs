using System.Text.Json.Nodes;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.Image.Formats;
using MediaWorker.Plugins.Image.Magick;
using MediaWorker.Plugins.Image.Processing;
using MediaWorker.Plugins.Image.Settings;
using static MediaWorker.Plugins.Image.Tasks.ParameterSchemas;

namespace MediaWorker.Plugins.Image.Tasks;

/// <summary>
/// <c>hash</c>: a cryptographic hash of any file's bytes (streamed), and for images a 64-bit
/// perceptual difference hash to find near-duplicates.
/// </summary>
internal sealed class HashHandler(ImageLoader loader, ImageSettings settings) : ITaskHandler
{
    public static JsonObject Schema { get; } = Object(
        ["input_path"],
        ("input_path", FilePath("Any file: relative to COMPUTE_STORAGE_DIR or absolute under MEDIA_ALLOWED_ROOTS.")),
        ("algorithm", Choice("The hash over the file's bytes.", StreamingFileHasher.Algorithms, "sha256")),
        ("perceptual", Boolean("Also compute the 64-bit difference hash (dHash) when the file is an image.", true)));

    public TaskDescriptor Descriptor { get; } = new()
    {
        TaskType = "hash",
        Description = "Hashes a file (sha256, sha512 or md5, streamed) and, for images, computes a 64-bit perceptual dHash for near-duplicate search.",
        ParameterSchema = Schema,
        DefaultTimeout = TimeSpan.FromMinutes(30),
    };

    public async Task<JsonObject> ExecuteAsync(IJobContext job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var p = new JobParameters(job.Parameters, Schema);
        var algorithm = p.OptionalChoice("algorithm", StreamingFileHasher.Algorithms) ?? "sha256";
        var perceptual = p.OptionalBool("perceptual") ?? true;
        using var input = InputFile.Open(job.Files, p.RequireString("input_path"), allowEmpty: true);
        var digest = await StreamingFileHasher.HashAsync(input.Path, algorithm, job.Progress, cancellationToken);
        JsonObject? perceptualHash = null;
        if (perceptual && input.Sniffed.Kind == ContentKind.Image)
        {
            var dhash = await NativeWork.RunAsync(() => Perceptual(input, cancellationToken), cancellationToken);
            perceptualHash = new JsonObject { ["algorithm"] = "dhash", ["bits"] = 64, ["value"] = DifferenceHash.ToHex(dhash) };
        }

        return new JsonObject
        {
            ["path"] = input.Path,
            ["bytes"] = input.Length,
            ["algorithm"] = algorithm,
            ["hash"] = digest,
            ["perceptual_hash"] = perceptualHash,
            ["files"] = new JsonArray(), // reads only
        };
    }

    private ulong Perceptual(InputFile input, CancellationToken cancellationToken)
    {
        var guard = new OperationGuard(settings.TimeLimit, cancellationToken);
        using var image = loader.Load(input, guard, firstFrameOnly: true, (w, h) => (Math.Min(w, DifferenceHash.DecodeSize), Math.Min(h, DifferenceHash.DecodeSize)));
        try
        {
            return DifferenceHash.Compute(image.Images[0]);
        }
        catch (ImageMagick.MagickException ex)
        {
            throw ImageFailures.Decoding(ex, input, image.Format.Coder, settings);
        }
    }
}
