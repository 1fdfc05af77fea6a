using System.Text.Json.Nodes;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.Gemini.Api;
using MediaWorker.Plugins.Gemini.Media;
using MediaWorker.Plugins.Gemini.Parameters;
using MediaWorker.Plugins.Gemini.Transcripts;

namespace MediaWorker.Plugins.Gemini.Embeddings;

/// <summary>
/// <c>embed</c>: embedding vectors of a text, or of a transcript.json per segment or as one
/// document, written to a JSON file or a float32 file with a JSON index.
/// </summary>
internal sealed class EmbedHandler(AiClientFactory clients) : ITaskHandler
{
    public static readonly IReadOnlyList<string> TaskTypes =
    [
        "RETRIEVAL_DOCUMENT", "RETRIEVAL_QUERY", "SEMANTIC_SIMILARITY", "CLASSIFICATION",
        "CLUSTERING", "QUESTION_ANSWERING", "FACT_VERIFICATION", "CODE_RETRIEVAL_QUERY",
    ];

    public TaskDescriptor Descriptor { get; } = new()
    {
        TaskType = "embed",
        Description = "Embeds a text or a transcript.json (per segment or as one document) with Gemini and writes the vectors to a JSON or float32 file.",
        Version = "1.0.0",
        DefaultTimeout = TimeSpan.FromMinutes(15),
        ParameterSchema = (JsonObject)JsonNode.Parse($$"""
        {
          "type": "object",
          "properties": {
            "text": { "type": "string", "minLength": 1, "maxLength": 4000000, "description": "The text to embed (one vector)." },
            "input_path": { "type": "string", "minLength": 1, "description": "A transcript.json from the speech plugin, or a .txt/.md file (one vector)." },
            "granularity": { "type": "string", "enum": ["segment", "document"], "default": "segment", "description": "Transcripts: one vector per segment, or one for the whole text." },
            "task_type": { "type": "string", "enum": [{{string.Join(", ", TaskTypes.Select(t => $"\"{t}\""))}}], "default": "RETRIEVAL_DOCUMENT", "description": "What the vectors are for; the model optimises for it." },
            "title": { "type": "string", "minLength": 1, "maxLength": 1000, "description": "A document title (task_type RETRIEVAL_DOCUMENT only)." },
            "dimensions": { "type": "integer", "minimum": 1, "maximum": 3072, "description": "Truncate vectors to this many dimensions (output dimensionality)." },
            "format": { "type": "string", "enum": ["json", "f32"], "default": "json", "description": "json: items with vectors; f32: little-endian float32 with a 24-byte header plus a .index.json." },
            "output_path": { "type": "string", "minLength": 1, "description": "Where to write the vectors. Default: the job's output folder, embeddings.json or embeddings.f32." },
            "model": { "type": "string", "minLength": 1, "maxLength": 200, "description": "Overrides GEMINI_EMBED_MODEL for this job." }
          },
          "oneOf": [ { "required": ["text"] }, { "required": ["input_path"] } ],
          "additionalProperties": false
        }
        """)!,
    };

    public async Task<JsonObject> ExecuteAsync(IJobContext job, CancellationToken cancellationToken)
    {
        var parameters = new JobParameters(job.Parameters);
        var taskType = parameters.Choice("task_type", "RETRIEVAL_DOCUMENT", [.. TaskTypes]);
        var title = parameters.String("title");
        if (title is not null && taskType != "RETRIEVAL_DOCUMENT")
        {
            throw new PermanentJobException($"'title' only applies to task_type RETRIEVAL_DOCUMENT, not {taskType}.");
        }

        var dimensions = parameters.Integer("dimensions", 1, 3072);
        var format = parameters.Choice("format", "json", "json", "f32");
        var (items, granularity) = await ReadItemsAsync(job, parameters, cancellationToken);
        var outputPath = parameters.String("output_path") is { } requested
            ? job.Files.ResolveOutput(requested)
            : Path.Combine(job.Files.OutputDirectory, format == "json" ? "embeddings.json" : "embeddings.f32");
        job.Progress.Report(5);

        var gemini = clients.CreateGemini(job.Logger);
        var model = GeminiClient.ModelId(parameters.String("model") ?? clients.Settings.EmbedModel);
        var vectors = await gemini.EmbedAsync(model, items.Select(i => i.Text).ToArray(), taskType, title, dimensions, new ScaledProgress(job.Progress, 5, 90), cancellationToken);
        var dims = CheckDimensions(vectors, dimensions, model);

        var metadata = new EmbeddingMetadata(model, taskType, dims);
        var output = new JsonObject { ["path"] = outputPath };
        if (format == "json")
        {
            await EmbeddingFileWriter.WriteJsonAsync(outputPath, job.Files.ScratchDirectory, metadata, items, vectors, cancellationToken);
        }
        else
        {
            var indexPath = Path.ChangeExtension(outputPath, null) + ".index.json";
            await EmbeddingFileWriter.WriteFloat32Async(outputPath, indexPath, job.Files.ScratchDirectory, metadata, items, vectors, cancellationToken);
            output["index_path"] = indexPath;
        }

        job.Progress.Report(100);
        output["format"] = format;
        output["dims"] = dims;
        output["count"] = items.Count;
        output["model"] = model;
        output["task_type"] = taskType;
        output["granularity"] = granularity;
        return output;
    }

    private static async Task<(IReadOnlyList<EmbeddingItem> Items, string Granularity)> ReadItemsAsync(IJobContext job, JobParameters parameters, CancellationToken cancellationToken)
    {
        var text = parameters.String("text");
        var inputPath = parameters.String("input_path");
        if ((text is null) == (inputPath is null))
        {
            throw new PermanentJobException("Pass exactly one of 'text' and 'input_path' (a transcript.json or a text file).");
        }

        var granularity = parameters.Choice("granularity", "segment", "segment", "document");
        if (text is not null || MediaTypes.KindOf(inputPath!) == InputKind.Text)
        {
            if (parameters.Has("granularity") && granularity == "segment")
            {
                throw new PermanentJobException("granularity 'segment' needs a transcript.json as input_path; a text is embedded as one document.");
            }

            text ??= await TextFile.ReadAsync(job.Files.ResolveInput(inputPath!), "input_path", cancellationToken);
            return ([new EmbeddingItem(0, text, null, null)], "document");
        }

        if (MediaTypes.KindOf(inputPath!) != InputKind.Transcript)
        {
            throw new PermanentJobException($"input_path '{Path.GetFileName(inputPath)}' must be a transcript.json or a text file ({MediaTypes.ExtensionsOf(InputKind.Text)}); to embed a recording, transcribe it with the speech plugin first.");
        }

        var transcript = await TranscriptReader.ReadAsync(job.Files.ResolveInput(inputPath!), "input_path", cancellationToken);
        if (granularity == "document" || transcript.Segments.Count == 0)
        {
            var whole = transcript.Segments.Count == 0 ? transcript.Text! : string.Join(' ', transcript.Segments.Select(s => s.Text.Trim()));
            return ([new EmbeddingItem(0, whole, 0, TranscriptReader.DurationOf(transcript))], "document");
        }

        // Silent segments carry no text to embed; their index stays so items map back to the transcript.
        var items = transcript.Segments
            .Select((s, i) => new EmbeddingItem(i, s.Text.Trim(), s.Start, s.End))
            .Where(i => i.Text.Length > 0)
            .ToArray();
        return items.Length == 0
            ? throw new PermanentJobException($"input_path '{Path.GetFileName(inputPath)}' has no segment with text.")
            : (items, "segment");
    }

    private static int CheckDimensions(IReadOnlyList<float[]> vectors, int? requested, string model)
    {
        var dims = vectors[0].Length;
        if (dims == 0 || vectors.Any(v => v.Length != dims) || (requested is { } r && dims != r))
        {
            throw new RetryableJobException($"Gemini embeddings ({model}) came back with inconsistent sizes ({string.Join(", ", vectors.Select(v => v.Length).Distinct())}{(requested is { } q ? $"; {q} requested" : string.Empty)}).");
        }

        return dims;
    }
}
