using System.Text.Json.Serialization;

namespace MediaWorker.Plugins.Gemini.Transcripts;

/// <summary>A transcript.json as the speech plugin writes it.</summary>
internal sealed record Transcript
{
    public string? Language { get; init; }

    public double Duration { get; init; }

    public string? Text { get; init; }

    public IReadOnlyList<TranscriptSegment> Segments { get; init; } = [];
}

internal sealed record TranscriptSegment
{
    public double Start { get; init; }

    public double End { get; init; }

    public string Text { get; init; } = string.Empty;

    [JsonPropertyName("no_speech_prob")]
    public double NoSpeechProb { get; init; }

    public IReadOnlyList<TranscriptWord>? Words { get; init; }
}

internal sealed record TranscriptWord(string Word, double Start, double End, double Probability);
