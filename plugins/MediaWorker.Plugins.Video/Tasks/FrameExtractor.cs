using System.Globalization;
using MediaWorker.Ffmpeg.Inputs;
using MediaWorker.Ffmpeg.Running;

namespace MediaWorker.Plugins.Video.Tasks;

/// <summary>
/// Writes the frames at given times as images, in one of two ways. <see cref="ExtractAsync"/> seeks:
/// each time is an accurate input seek (ffmpeg decodes from the keyframe before it to the exact
/// frame) and several seeks share one ffmpeg process, so a long video is never decoded end to end.
/// <see cref="ExtractKeyframesAsync"/> makes one pass that decodes only keyframes and keeps the
/// chosen ones, which is cheaper when many of the keyframes are wanted.
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

    /// <summary>
    /// Decodes only the keyframes (<c>-skip_frame nokey</c>) in one pass and writes those at
    /// <paramref name="keyframeTimes"/> (counted from the input's <paramref name="startTime"/>, as
    /// ffmpeg's seeks count).
    /// </summary>
    /// <returns>The time and path of every frame written, in order.</returns>
    public async Task<IReadOnlyList<(TimeSpan Time, string Path)>> ExtractKeyframesAsync(
        MediaInput input, IReadOnlyList<TimeSpan> keyframeTimes, TimeSpan startTime, TimeSpan duration, string folder, string format, int? maxWidth, IProgress<int> progress, CancellationToken cancellationToken)
    {
        // -copyts keeps the container's own clock in the filter, where the packet times came from:
        // without it ffmpeg shifts each stream differently (an MPEG-TS video starts at 0, not at
        // its offset from the audio). Half a millisecond is far below any frame interval.
        var wanted = string.Join('+', keyframeTimes.Select(t => string.Create(CultureInfo.InvariantCulture, $"lt(abs(t-{(t + startTime).TotalSeconds:0.######}),0.0005)")));
        var scale = maxWidth is { } w ? string.Create(CultureInfo.InvariantCulture, $",scale=w='min(iw,{w})':h=-2") : string.Empty;
        var printed = new PrintedFrames();
        List<string> arguments =
        [
            "-copyts", .. input.Arguments("-skip_frame", "nokey"), "-map", "0:v:0", "-an", "-sn", "-dn",
            "-vf", $"select='{wanted}',metadata=add:key=mw.frame:value=1,metadata=print:file='pipe\\:1'{scale}",
            "-fps_mode", "passthrough", "-q:v", "2", $"frame_%04d.{format}",
        ];
        await ffmpeg.RunAsync(arguments, new FfmpegRunOptions { Duration = duration, Progress = progress, StandardOutput = printed.ReadAsync, WorkingDirectory = folder }, cancellationToken);
        // The printed times are rounded to six digits; report the exact keyframe time each one is.
        return [.. printed.Times
            .Select((time, i) => (Nearest(keyframeTimes, time - startTime), Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"frame_{i + 1:D4}.{format}"))))
            .Where(frame => File.Exists(frame.Item2))];
    }

    private static TimeSpan Nearest(IReadOnlyList<TimeSpan> times, TimeSpan time) => times.MinBy(t => (t - time).Duration());

    // Rounded down to the microsecond: a seek that lands a hair after a frame's timestamp would skip to the next frame.
    private static string Seconds(TimeSpan value) => (Math.Floor(value.TotalSeconds * 1e6) / 1e6).ToString("0.######", CultureInfo.InvariantCulture);
}
