using System.Text;
using System.Text.Json;
using MediaWorker.Plugins.Abstractions;

namespace MediaWorker.Plugins.Gemini.Transcripts;

/// <summary>Reads and checks a transcript.json; a malformed one is a permanent failure naming the problem.</summary>
internal static class TranscriptReader
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static async Task<Transcript> ReadAsync(string path, string parameterName, CancellationToken cancellationToken)
    {
        Transcript? transcript;
        try
        {
            await using var stream = File.OpenRead(path);
            transcript = await JsonSerializer.DeserializeAsync<Transcript>(stream, Options, cancellationToken);
        }
        catch (JsonException ex)
        {
            throw new PermanentJobException($"{parameterName} '{Path.GetFileName(path)}' is not a transcript.json: {ex.Message}", ex);
        }

        if (transcript is null || (transcript.Segments.Count == 0 && string.IsNullOrWhiteSpace(transcript.Text)))
        {
            throw new PermanentJobException($"{parameterName} '{Path.GetFileName(path)}' holds no text and no segments; transcribe the media with the speech plugin first.");
        }

        for (var i = 0; i < transcript.Segments.Count; i++)
        {
            var segment = transcript.Segments[i];
            if (segment.Start < 0 || segment.End < segment.Start)
            {
                throw new PermanentJobException($"{parameterName} '{Path.GetFileName(path)}': segment {i} has start {segment.Start} and end {segment.End}; a segment must start at 0 or later and end after it starts.");
            }
        }

        return transcript;
    }

    /// <summary>The duration: the file's own, or the last segment's end when the file has none.</summary>
    public static double DurationOf(Transcript transcript) =>
        transcript.Duration > 0 ? transcript.Duration : transcript.Segments.Count > 0 ? transcript.Segments.Max(s => s.End) : 0;

    /// <summary>The transcript as lines "[MM:SS] text", the form the prompts quote.</summary>
    public static string ToTimedText(Transcript transcript)
    {
        if (transcript.Segments.Count == 0)
        {
            return transcript.Text ?? string.Empty;
        }

        var text = new StringBuilder();
        foreach (var segment in transcript.Segments)
        {
            if (!string.IsNullOrWhiteSpace(segment.Text))
            {
                text.Append('[').Append(Timestamp.Format(segment.Start)).Append("] ").AppendLine(segment.Text.Trim());
            }
        }

        return text.ToString();
    }
}
