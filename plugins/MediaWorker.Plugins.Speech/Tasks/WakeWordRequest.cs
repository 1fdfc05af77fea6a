using System.Text.Json.Nodes;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.Speech.WakeWords;

namespace MediaWorker.Plugins.Speech.Tasks;

/// <summary>Clips around each match: how much before and after, and whether to enqueue clip_extract jobs.</summary>
/// <param name="PreSeconds">Seconds before the match's start.</param>
/// <param name="PostSeconds">Seconds after the match's end.</param>
/// <param name="Enqueue">Enqueue a clip_extract follow-up per match.</param>
internal sealed record ClipRequest(double PreSeconds, double PostSeconds, bool Enqueue);

/// <summary>The parameters of <c>wake_word_detect</c>.</summary>
/// <param name="InputPath">The audio/video file (transcribed unless a transcript is given; the clips' source).</param>
/// <param name="TranscriptPath">A transcript.json of an earlier job, so nothing is transcribed twice.</param>
/// <param name="WakeWords">The phrases to find.</param>
/// <param name="MinSimilarity">The fuzzy-match threshold, 0-1.</param>
/// <param name="Transcription">How to transcribe the input when there is no transcript.</param>
/// <param name="Clip">Clips around the matches, or null for none.</param>
internal sealed record WakeWordRequest(
    string? InputPath, string? TranscriptPath, IReadOnlyList<string> WakeWords, double MinSimilarity, TranscribeRequest Transcription, ClipRequest? Clip)
{
    public const double DefaultMinSimilarity = 0.8;
    public const double DefaultPreSeconds = 1.0;
    public const double DefaultPostSeconds = 2.0;
    private const double MaxClipPadding = 600;

    /// <exception cref="PermanentJobException">A parameter is invalid, or the combination is.</exception>
    public static WakeWordRequest Parse(JsonObject parameters)
    {
        var inputPath = SpeechParameters.String(parameters, "input_path");
        var transcriptPath = SpeechParameters.String(parameters, "transcript_path");
        if (inputPath is null && transcriptPath is null)
        {
            throw new PermanentJobException("Give input_path (an audio or video file to transcribe) or transcript_path (a transcript.json of a transcribe job).");
        }

        var wakeWords = SpeechParameters.Strings(parameters, "wake_words");
        if (wakeWords.Count == 0)
        {
            throw SpeechParameters.Invalid("wake_words", "must name at least one phrase");
        }

        foreach (var phrase in wakeWords)
        {
            if (TextNormalizer.Words(phrase).Count == 0)
            {
                throw SpeechParameters.Invalid("wake_words", $"contains '{phrase}', which has no letters or digits to match");
            }
        }

        ClipRequest? clip = null;
        if (SpeechParameters.Object(parameters, "clip") is { } c)
        {
            clip = new ClipRequest(
                SpeechParameters.Number(c, "pre_seconds", DefaultPreSeconds, 0, MaxClipPadding),
                SpeechParameters.Number(c, "post_seconds", DefaultPostSeconds, 0, MaxClipPadding),
                SpeechParameters.Boolean(c, "enqueue", false));
            if (clip.Enqueue && inputPath is null)
            {
                throw new PermanentJobException("clip.enqueue needs input_path: the clip_extract jobs cut the clips out of that file. Give input_path next to transcript_path.");
            }
        }

        var minSimilarity = SpeechParameters.Number(parameters, "min_similarity", DefaultMinSimilarity, 0, 1);
        if (minSimilarity <= 0)
        {
            throw SpeechParameters.Invalid("min_similarity", "must be above 0 (0 would match every word)");
        }

        return new WakeWordRequest(inputPath, transcriptPath, wakeWords, minSimilarity, TranscribeRequest.Parse(parameters), clip);
    }

    /// <summary>The task's parameter schema.</summary>
    public static JsonObject Schema()
    {
        var path = (string description) => new JsonObject { ["type"] = "string", ["minLength"] = 1, ["maxLength"] = 4096, ["description"] = description };
        var properties = new JsonObject
        {
            ["input_path"] = path("The audio or video file to transcribe and search (relative to the compute storage folder, or absolute under MEDIA_ALLOWED_ROOTS); also the source of the clips."),
            ["transcript_path"] = path("A transcript.json written by a transcribe job: searched instead of transcribing again."),
            ["wake_words"] = new JsonObject
            {
                ["type"] = "array",
                ["minItems"] = 1,
                ["maxItems"] = 100,
                ["items"] = new JsonObject { ["type"] = "string", ["minLength"] = 1, ["maxLength"] = 200 },
                ["description"] = "The phrases to find, e.g. [\"hey media worker\"]. Case, punctuation and hyphens do not matter.",
            },
            ["min_similarity"] = new JsonObject
            {
                ["type"] = "number",
                ["exclusiveMinimum"] = 0,
                ["maximum"] = 1,
                ["default"] = DefaultMinSimilarity,
                ["description"] = "How alike (1 - edit distance / length) a window of transcript words must be to the phrase; 1 means exactly.",
            },
            ["clip"] = new JsonObject
            {
                ["type"] = "object",
                ["additionalProperties"] = false,
                ["properties"] = new JsonObject
                {
                    ["pre_seconds"] = new JsonObject { ["type"] = "number", ["minimum"] = 0, ["maximum"] = MaxClipPadding, ["default"] = DefaultPreSeconds, ["description"] = "Seconds of context before each match." },
                    ["post_seconds"] = new JsonObject { ["type"] = "number", ["minimum"] = 0, ["maximum"] = MaxClipPadding, ["default"] = DefaultPostSeconds, ["description"] = "Seconds of context after each match." },
                    ["enqueue"] = new JsonObject { ["type"] = "boolean", ["default"] = false, ["description"] = "Enqueue a clip_extract job per match (needs input_path)." },
                },
                ["description"] = "Clip ranges around the matches; with enqueue, clip_extract follow-up jobs cut them.",
            },
        };
        foreach (var (name, schema) in TranscribeRequest.SchemaProperties())
        {
            properties[name] = schema!.DeepClone();
        }

        return new JsonObject
        {
            ["type"] = "object",
            ["properties"] = properties,
            ["required"] = new JsonArray("wake_words"),
            ["anyOf"] = new JsonArray(
                new JsonObject { ["required"] = new JsonArray("input_path") },
                new JsonObject { ["required"] = new JsonArray("transcript_path") }),
            ["additionalProperties"] = false,
        };
    }
}
