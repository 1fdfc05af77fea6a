using System.Globalization;
using MediaWorker.Ffmpeg.Inputs;
using MediaWorker.Ffmpeg.Running;

namespace MediaWorker.Plugins.Video.Tasks;

/// <summary>
/// Writes the frames at given times as images. Each time is an accurate input seek (ffmpeg decodes
/// from the keyframe before it to the exact frame), and several seeks share one ffmpeg process (one
/// input per time) so a long video is never decoded end to end and process start-up is paid once per batch.
/// </summary>
internal sealed class FrameExtractor(FfmpegRunner ffmpeg)
{
    /// <summary>Inputs per ffmpeg process: each holds a decoder, so this bounds memory for 4K sources.</summary>
    private const int BatchSize = 8;

    /// <summary>Extracts the frames; returns the path written for each time, or null where the video had no frame there.</summary>
    /// <param name="input">The video.</param>
    /// <param name="times">The times, ascending.</param>
    /// <param name="folder">The scratch folder to write into.</param>
    /// <param name="fileName">Makes the file name of the i-th frame.</param>
    /// <param name="maxWidth">Scales frames down to this width (aspect kept), or null for the full size.</param>
    /// <param name="progress">Receives 0-100 as batches finish.</param>
    /// <param name="cancellationToken">Kills ffmpeg when it fires.</param>
    public async Task<IReadOnlyList<string?>> ExtractAsync(
        MediaInput input, IReadOnlyList<TimeSpan> times, string folder, Func<int, string> fileName, int? maxWidth, IProgress<int> progress, CancellationToken cancellationToken)
    {
        var paths = new string?[times.Count];
        for (var start = 0; start < times.Count; start += BatchSize)
        {
            var batch = Enumerable.Range(start, Math.Min(BatchSize, times.Count - start)).ToList();
            var arguments = new List<string>();
            foreach (var i in batch)
            {
                // One decoder thread per input: the batch's inputs already run side by side.
                arguments.AddRange(input.Arguments("-threads", "1", "-ss", Seconds(times[i])));
            }

            var filter = maxWidth is { } w ? $"scale=w='min(iw,{w})':h=-2" : null;
            for (var k = 0; k < batch.Count; k++)
            {
                paths[batch[k]] = Path.Combine(folder, fileName(batch[k]));
                arguments.AddRange(["-map", $"{k}:v:0", "-frames:v", "1", "-update", "1"]);
                if (filter is not null)
                {
                    arguments.AddRange(["-vf", filter]);
                }

                arguments.AddRange(["-q:v", "2", paths[batch[k]]!]);
            }

            await ffmpeg.RunAsync(arguments, null, cancellationToken);
            progress.Report((start + batch.Count) * 100 / times.Count);
        }

        // A seek past the last frame (a container longer than its video) writes nothing.
        return [.. paths.Select(p => p is not null && File.Exists(p) ? p : null)];
    }

    // Rounded down to the microsecond: a seek that lands a hair after a frame's timestamp would skip to the next frame.
    private static string Seconds(TimeSpan value) => (Math.Floor(value.TotalSeconds * 1e6) / 1e6).ToString("0.######", CultureInfo.InvariantCulture);
}
