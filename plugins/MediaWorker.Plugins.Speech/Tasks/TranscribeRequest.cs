using System.Text.Json.Nodes;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.Speech.Transcription;

namespace MediaWorker.Plugins.Speech.Tasks;

/// <summary>What a job asks of the transcription (the parameters both tasks share).</summary>
/// <param name="Language">auto or an ISO code, lower case.</param>
/// <param name="Translate">Translate into English.</param>
/// <param name="InitialPrompt">Text that conditions the first window, or null.</param>
/// <param name="WordTimestamps">Words with times (token timestamps on, split on words).</param>
/// <param name="MaxSegmentLength">The most characters per segment, or null.</param>
internal sealed record TranscribeRequest(string Language, bool Translate, string? InitialPrompt, bool WordTimestamps, int? MaxSegmentLength)
{
    /// <summary>The schema properties of these parameters.</summary>
    public static JsonObject SchemaProperties() => new()
    {
        ["language"] = new JsonObject
        {
            ["type"] = "string",
            ["pattern"] = "^(auto|[a-z]{2,3})$",
            ["default"] = TranscriptionOptions.AutoLanguage,
            ["description"] = "The spoken language as an ISO 639-1 code (en, de, fr, ...), or auto to detect it. English-only (.en) models accept only auto or en.",
        },
        ["translate"] = new JsonObject { ["type"] = "boolean", ["default"] = false, ["description"] = "Translate the speech into English (needs a multilingual model)." },
        ["initial_prompt"] = new JsonObject
        {
            ["type"] = "string",
            ["minLength"] = 1,
            ["maxLength"] = 1000,
            ["description"] = "Text that steers the transcription: names and their spelling, style, punctuation.",
        },
        ["word_timestamps"] = new JsonObject
        {
            ["type"] = "boolean",
            ["default"] = true,
            ["description"] = "Report each word with its start, end and probability (token timestamps on, segments split on words).",
        },
        ["max_segment_length"] = new JsonObject
        {
            ["type"] = "integer",
            ["minimum"] = 1,
            ["maximum"] = 1000,
            ["description"] = "The most characters per segment (for subtitles); needs word_timestamps. Default: whisper's own segmentation.",
        },
    };

    /// <summary>Reads the parameters and checks the rules the schema cannot express.</summary>
    /// <exception cref="PermanentJobException">A parameter is invalid.</exception>
    public static TranscribeRequest Parse(JsonObject parameters)
    {
        var request = new TranscribeRequest(
            (SpeechParameters.String(parameters, "language") ?? TranscriptionOptions.AutoLanguage).Trim().ToLowerInvariant(),
            SpeechParameters.Boolean(parameters, "translate", false),
            SpeechParameters.String(parameters, "initial_prompt") is { Length: > 0 } prompt ? prompt : null,
            SpeechParameters.Boolean(parameters, "word_timestamps", true),
            SpeechParameters.Integer(parameters, "max_segment_length", 1, 1000));
        if (request.MaxSegmentLength is not null && !request.WordTimestamps)
        {
            throw new PermanentJobException("Parameter 'max_segment_length' needs word_timestamps: whisper.cpp splits segments by length only with token timestamps on. Remove it or set word_timestamps to true.");
        }

        return request;
    }

    /// <summary>The options for <paramref name="model"/>; checks the language against it.</summary>
    /// <exception cref="PermanentJobException">The model cannot do what is asked (another language or translation on an English-only model, an unknown language).</exception>
    public TranscriptionOptions ToOptions(WhisperModel model, int threads)
    {
        string language;
        if (!model.IsMultilingual)
        {
            if (Translate || Language is not (TranscriptionOptions.AutoLanguage or "en"))
            {
                var asked = Translate ? "translate" : $"language '{Language}'";
                throw new PermanentJobException(
                    $"The model '{model.FileName}' is English-only, so {asked} cannot be done. Use language auto or en, or set WHISPER_MODEL to a multilingual model (a name without .en, such as base: `mediaworker models pull base`).");
            }

            // An English-only model has no language to detect; whisper.cpp would run detection anyway and report noise.
            language = "en";
        }
        else if (Language == TranscriptionOptions.AutoLanguage)
        {
            language = Language;
        }
        else if (!WhisperModel.KnowsLanguage(Language))
        {
            throw new PermanentJobException($"Parameter 'language' is '{Language}', which Whisper does not know. Use auto or an ISO 639-1 code such as en, de, fr, es, it, ja or zh.");
        }
        else
        {
            language = Language;
        }

        return new TranscriptionOptions(language, Translate, InitialPrompt, WordTimestamps, MaxSegmentLength, threads);
    }
}
