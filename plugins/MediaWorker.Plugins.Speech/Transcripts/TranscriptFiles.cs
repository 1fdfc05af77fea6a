using System.Text;

namespace MediaWorker.Plugins.Speech.Transcripts;

/// <summary>Where a job's transcript files went.</summary>
/// <param name="JsonPath">transcript.json.</param>
/// <param name="SrtPath">transcript.srt.</param>
/// <param name="VttPath">transcript.vtt.</param>
internal sealed record TranscriptFilePaths(string JsonPath, string SrtPath, string VttPath);

/// <summary>
/// Writes transcript.json, transcript.srt and transcript.vtt into the job's output folder. Each is
/// written in the attempt's scratch folder and then moved into place, so a reader never sees a
/// half-written file and a retried attempt simply replaces the files.
/// </summary>
internal static class TranscriptFiles
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public static async Task<TranscriptFilePaths> WriteAsync(Transcript transcript, string outputDirectory, string scratchDirectory, CancellationToken cancellationToken)
    {
        var paths = new TranscriptFilePaths(
            Path.Combine(outputDirectory, "transcript.json"),
            Path.Combine(outputDirectory, "transcript.srt"),
            Path.Combine(outputDirectory, "transcript.vtt"));

        var json = Path.Combine(scratchDirectory, "transcript.json");
        await TranscriptJson.WriteAsync(transcript, json, cancellationToken);
        var srt = Path.Combine(scratchDirectory, "transcript.srt");
        await File.WriteAllTextAsync(srt, SubtitleWriter.ToSrt(transcript), Utf8, cancellationToken);
        var vtt = Path.Combine(scratchDirectory, "transcript.vtt");
        await File.WriteAllTextAsync(vtt, SubtitleWriter.ToVtt(transcript), Utf8, cancellationToken);

        File.Move(json, paths.JsonPath, overwrite: true);
        File.Move(srt, paths.SrtPath, overwrite: true);
        File.Move(vtt, paths.VttPath, overwrite: true);
        return paths;
    }
}
