using System.Text.Json.Nodes;
using MediaWorker.Plugins.Gemini.Structured;
using MediaWorker.Plugins.Gemini.Transcripts;

namespace MediaWorker.Plugins.Gemini.Analysis;

/// <summary>The seed's analysis format as a response schema, and the instructions that go with it.</summary>
internal static class AnalysisSchema
{
    /// <summary>The kinds of observation a visual audit entry may record.</summary>
    public static readonly IReadOnlyList<string> VisualAuditTypes =
        ["scene", "person", "action", "on_screen_text", "object", "branding", "quality_issue", "other"];

    public static JsonObject Create(bool withVisualAudit)
    {
        List<(string, JsonObject)> properties =
        [
            ("title", Schema.String("A short, specific title for the content.")),
            ("summary", Schema.String("A summary of the whole content in one to three paragraphs.")),
            ("keyTakeaways", Schema.Array(Schema.String(), "The most important points, one sentence each.", minItems: 1)),
            ("timeline", Schema.Array(
                Schema.Object(
                [
                    ("timestamp", Schema.String("Where the part starts, as MM:SS from the beginning.", Timestamp.Pattern)),
                    ("description", Schema.String("What happens or is said in this part.")),
                    ("details", Schema.Array(Schema.String(), "Supporting details of this part.")),
                ]),
                "The content's parts in chronological order.",
                minItems: 1)),
            ("keywords", Schema.Array(Schema.String(), "Topics, names and terms someone would search for.", minItems: 1)),
        ];
        if (withVisualAudit)
        {
            properties.Add(("visualAudit", Schema.Array(
                Schema.Object(
                [
                    ("timestamp", Schema.String("When it is visible, as MM:SS.", Timestamp.Pattern)),
                    ("detail", Schema.String("What is seen.")),
                    ("type", Schema.String("The kind of observation.", allowed: VisualAuditTypes)),
                ]),
                "Notable visual observations that the audio alone does not reveal.")));
        }

        return Schema.Object(properties);
    }

    public static string SystemInstruction(bool deep, string? language, string? instructions)
    {
        var text = "You are a careful media analyst. You analyse the content you are given and answer with one JSON object that follows the response schema. "
            + "Base every statement on the content itself; do not invent facts, names or numbers. "
            + "Timestamps are MM:SS from the start of the content and must lie within it; the timeline is in chronological order. "
            + (deep
                ? "You watch the video and listen to its audio. The visual audit records what is seen (people, actions, on-screen text, objects, branding, quality issues) with the time it is visible. "
                : "You work from the words alone (a transcript, a text, or an audio track). ");
        if (language is not null)
        {
            text += $"Write every text field in the language with code '{language}'. ";
        }

        if (instructions is not null)
        {
            text += "The requester adds: " + instructions;
        }

        return text;
    }
}
