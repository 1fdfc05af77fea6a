using MediaWorker.Plugins.Gemini.Media;
using MediaWorker.Plugins.Gemini.Transcripts;

namespace MediaWorker.Plugins.Gemini.Analysis;

/// <summary>What ai_analyze analyses: text (typed, a text file or a transcript) or a media file.</summary>
internal sealed record AnalysisSource(InputKind Kind, string? Path, string? Text, Transcript? Transcript, double? Duration)
{
    public bool IsMedia => Kind is InputKind.Video or InputKind.Audio;

    /// <summary>The output's <c>source</c> object.</summary>
    public System.Text.Json.Nodes.JsonObject ToJson()
    {
        var json = new System.Text.Json.Nodes.JsonObject { ["kind"] = Kind.ToString().ToLowerInvariant() };
        if (Path is not null)
        {
            json["path"] = Path;
        }

        if (Duration is { } duration)
        {
            json["duration"] = Math.Round(duration, 3);
        }

        return json;
    }
}
