using System.Text.Json.Nodes;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.Gemini.Api;
using MediaWorker.Plugins.Gemini.Media;
using MediaWorker.Plugins.Gemini.Parameters;
using MediaWorker.Plugins.Gemini.Structured;
using MediaWorker.Plugins.Gemini.Transcripts;

namespace MediaWorker.Plugins.Gemini.Analysis;

/// <summary>
/// <c>ai_analyze</c>: a title, summary, key takeaways, timeline and keywords (and in deep mode a
/// visual audit) of a video, an audio file, a transcript.json or a text, in the seed's format.
/// </summary>
internal sealed class AiAnalyzeHandler(AiClientFactory clients, MediaPreparer media) : ITaskHandler
{
    public TaskDescriptor Descriptor { get; } = new()
    {
        TaskType = "ai_analyze",
        Description = "Analyses a video, audio file, transcript.json or text with Gemini: title, summary, key takeaways, timeline, keywords (deep mode: the video itself and a visual audit).",
        Version = "1.0.0",
        DefaultTimeout = TimeSpan.FromMinutes(30),
        ParameterSchema = (JsonObject)JsonNode.Parse("""
        {
          "type": "object",
          "properties": {
            "input_path": { "type": "string", "minLength": 1, "description": "A video, an audio file, a transcript.json from the speech plugin, or a .txt/.md file." },
            "text": { "type": "string", "minLength": 1, "maxLength": 4000000, "description": "Text to analyse instead of a file." },
            "transcript_path": { "type": "string", "minLength": 1, "description": "Deep mode: a transcript.json of the same video, sent along as extra context." },
            "mode": { "type": "string", "enum": ["standard", "deep"], "default": "standard", "description": "standard: the words only (text, transcript or audio track), fast model. deep: the video itself, deep model, adds visualAudit." },
            "language": { "type": "string", "pattern": "^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$", "description": "Language code of the answer, e.g. en or de-CH. Default: the content's language." },
            "instructions": { "type": "string", "minLength": 1, "maxLength": 4000, "description": "Extra focus for the analysis." },
            "model": { "type": "string", "minLength": 1, "maxLength": 200, "description": "Overrides GEMINI_MODEL (standard) or GEMINI_DEEP_MODEL (deep) for this job." }
          },
          "oneOf": [ { "required": ["input_path"] }, { "required": ["text"] } ],
          "additionalProperties": false
        }
        """)!,
    };

    public async Task<JsonObject> ExecuteAsync(IJobContext job, CancellationToken cancellationToken)
    {
        var parameters = new JobParameters(job.Parameters);
        var deep = parameters.Choice("mode", "standard", "standard", "deep") == "deep";
        var language = parameters.String("language");
        var source = await ResolveSourceAsync(job, parameters, deep, cancellationToken);
        job.Progress.Report(5);

        var system = AnalysisSchema.SystemInstruction(deep, language, parameters.String("instructions"));
        var schema = AnalysisSchema.Create(withVisualAudit: deep);
        StructuredAnswer answer;
        string provider;
        if (source.IsMedia)
        {
            var gemini = clients.CreateGemini(job.Logger);
            var model = parameters.String("model") ?? (deep ? clients.Settings.DeepModel : clients.Settings.Model);
            await using var upload = await media.UploadForAnalysisAsync(gemini, job, source, deep, cancellationToken);
            var parts = new List<GeminiPart> { upload.Part };
            if (deep && parameters.String("transcript_path") is { } transcriptPath)
            {
                var transcript = await TranscriptReader.ReadAsync(job.Files.ResolveInput(transcriptPath, "transcript_path"), "transcript_path", cancellationToken);
                parts.Add(GeminiPart.FromText("Transcript of the video's speech:\n" + TranscriptReader.ToTimedText(transcript)));
            }

            parts.Add(GeminiPart.FromText(deep ? "Analyse this video." : "Analyse this recording."));
            var generator = new StructuredGenerator(new GeminiStructuredModel(gemini), job.Logger);
            job.Progress.Report(70);
            answer = await generator.GenerateAsync(new StructuredPrompt(model, system, [new PromptTurn("user", parts)], schema), a => CheckTimes(a, source.Duration), cancellationToken);
            provider = generator.Provider;
        }
        else
        {
            var (textModel, defaultModel) = clients.CreateTextModel(job.Logger);
            var generator = new StructuredGenerator(textModel, job.Logger);
            var prompt = new StructuredPrompt(parameters.String("model") ?? defaultModel, system, [PromptTurn.User(GeminiPart.FromText(DescribeText(source)))], schema);
            job.Progress.Report(20);
            answer = await generator.GenerateAsync(prompt, a => CheckTimes(a, source.Duration), cancellationToken);
            provider = generator.Provider;
        }

        job.Progress.Report(100);
        return BuildOutput(answer, source, deep, provider);
    }

    private async Task<AnalysisSource> ResolveSourceAsync(IJobContext job, JobParameters parameters, bool deep, CancellationToken cancellationToken)
    {
        var text = parameters.String("text");
        var inputPath = parameters.String("input_path");
        if ((text is null) == (inputPath is null))
        {
            throw new PermanentJobException("Pass exactly one of 'input_path' (a video, audio file, transcript.json or text file) and 'text'.");
        }

        if (parameters.Has("transcript_path") && !deep)
        {
            throw new PermanentJobException("'transcript_path' is only used in mode 'deep'; in mode 'standard' pass the transcript.json as 'input_path'.");
        }

        AnalysisSource source;
        if (text is not null)
        {
            source = new AnalysisSource(InputKind.Text, null, text, null, null);
        }
        else
        {
            var path = job.Files.ResolveInput(inputPath!);
            source = MediaTypes.KindOf(path) switch
            {
                InputKind.Transcript => await ReadTranscriptAsync(inputPath!, path, cancellationToken),
                InputKind.Text => new AnalysisSource(InputKind.Text, inputPath, await TextFile.ReadAsync(path, "input_path", cancellationToken), null, null),
                InputKind.Video => new AnalysisSource(InputKind.Video, inputPath, null, null, await media.DurationAsync(job.Files, path, cancellationToken)),
                InputKind.Audio => new AnalysisSource(InputKind.Audio, inputPath, null, null, await media.DurationAsync(job.Files, path, cancellationToken)),
                _ => throw new PermanentJobException(
                    $"input_path '{Path.GetFileName(path)}' has an extension ai_analyze does not know. Videos: {MediaTypes.ExtensionsOf(InputKind.Video)}; audio: {MediaTypes.ExtensionsOf(InputKind.Audio)}; "
                    + $"transcripts: .json; text: {MediaTypes.ExtensionsOf(InputKind.Text)}."),
            };
        }

        if (deep && source.Kind != InputKind.Video)
        {
            throw new PermanentJobException($"Mode 'deep' analyses a video (input_path with one of {MediaTypes.ExtensionsOf(InputKind.Video)}); this input is {source.Kind.ToString().ToLowerInvariant()}. Use mode 'standard'.");
        }

        return source;
    }

    private static async Task<AnalysisSource> ReadTranscriptAsync(string inputPath, string path, CancellationToken cancellationToken)
    {
        var transcript = await TranscriptReader.ReadAsync(path, "input_path", cancellationToken);
        return new AnalysisSource(InputKind.Transcript, inputPath, null, transcript, TranscriptReader.DurationOf(transcript));
    }

    private static string DescribeText(AnalysisSource source)
    {
        if (source.Transcript is { } transcript)
        {
            var duration = Timestamp.Format(TranscriptReader.DurationOf(transcript));
            return $"Analyse this transcript of a recording ({duration} long{(transcript.Language is { } l ? $", language '{l}'" : string.Empty)}). "
                + "Each line starts with the time it is spoken.\n\n" + TranscriptReader.ToTimedText(transcript);
        }

        return "Analyse this text. Timestamps in the timeline are not meaningful for a text: use 00:00 for every entry.\n\n" + source.Text;
    }

    /// <summary>Timestamps must lie inside the content (a second of rounding allowed).</summary>
    private static List<string> CheckTimes(JsonObject answer, double? duration)
    {
        if (duration is not { } limit || limit <= 0)
        {
            return [];
        }

        var problems = new List<string>();
        foreach (var list in new[] { "timeline", "visualAudit" })
        {
            var entries = answer[list] as JsonArray ?? [];
            for (var i = 0; i < entries.Count; i++)
            {
                var stamp = entries[i]?["timestamp"]?.GetValue<string>();
                if (stamp is not null && Timestamp.Parse(stamp) is { } seconds && seconds > Math.Ceiling(limit) + 1)
                {
                    problems.Add($"$.{list}[{i}].timestamp is {stamp}, after the end of the content at {Timestamp.Format(Math.Ceiling(limit))}");
                }
            }
        }

        return problems;
    }

    private static JsonObject BuildOutput(StructuredAnswer answer, AnalysisSource source, bool deep, string provider)
    {
        var value = answer.Value;
        var output = new JsonObject
        {
            ["title"] = value["title"]!.DeepClone(),
            ["summary"] = value["summary"]!.DeepClone(),
            ["keyTakeaways"] = value["keyTakeaways"]!.DeepClone(),
            ["timeline"] = SortedByTimestamp((JsonArray)value["timeline"]!),
            ["keywords"] = value["keywords"]!.DeepClone(),
        };
        if (deep)
        {
            output["visualAudit"] = SortedByTimestamp((JsonArray)value["visualAudit"]!);
        }

        output["mode"] = deep ? "deep" : "standard";
        output["provider"] = provider;
        output["model"] = answer.Model;
        output["tokenUsage"] = answer.Usage.ToJson();
        output["source"] = source.ToJson();
        return output;
    }

    private static JsonArray SortedByTimestamp(JsonArray entries) =>
        new(entries.OrderBy(e => Timestamp.Parse(e!["timestamp"]!.GetValue<string>()) ?? 0).Select(e => e!.DeepClone()).ToArray());
}
