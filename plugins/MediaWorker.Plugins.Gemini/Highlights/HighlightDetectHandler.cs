using System.Text.Json.Nodes;
using MediaWorker.Ffmpeg.Audio;
using MediaWorker.Ffmpeg.Inputs;
using MediaWorker.Ffmpeg.Scenes;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.Gemini.Api;
using MediaWorker.Plugins.Gemini.Media;
using MediaWorker.Plugins.Gemini.Parameters;
using MediaWorker.Plugins.Gemini.Structured;
using MediaWorker.Plugins.Gemini.Transcripts;
using Microsoft.Extensions.Logging;

namespace MediaWorker.Plugins.Gemini.Highlights;

/// <summary>
/// <c>highlight_detect</c>: scores segments of a video or audio file against a rubric with Gemini
/// and merges the best into highlights; falls back to rules (loudness and scene changes) when
/// Gemini is unavailable, and says so in the output.
/// </summary>
internal sealed class HighlightDetectHandler(AiClientFactory clients, MediaPreparer media, SceneDetector scenes, LoudnessAnalyzer loudness) : ITaskHandler
{
    public TaskDescriptor Descriptor { get; } = new()
    {
        TaskType = "highlight_detect",
        Description = "Finds highlights in a video or audio file: segments scored against a rubric by Gemini (or by loudness and scene changes when Gemini is unavailable), merged within length bounds.",
        Version = "1.0.0",
        DefaultTimeout = TimeSpan.FromMinutes(60),
        ParameterSchema = BuildSchema(),
    };

    public async Task<JsonObject> ExecuteAsync(IJobContext job, CancellationToken cancellationToken)
    {
        var request = HighlightRequest.Read(job);
        var (input, info) = await media.ProbeAsync(job.Files, request.InputPath, "input_path", cancellationToken);
        var duration = info.Duration?.TotalSeconds ?? throw new PermanentJobException($"input_path '{Path.GetFileName(request.InputPath)}' has no known duration.");
        request.CheckAgainst(info.HasVideo, info.HasAudio);
        job.Progress.Report(5);

        // Scenes are both the segments (strategy scenes) and the cut-density signal of the rules.
        IReadOnlyList<Scene>? sceneList = request.Strategy == "scenes" ? await DetectScenesAsync(job, request, input, cancellationToken) : null;
        var segments = sceneList is not null
            ? SegmentPlanner.FromScenes(sceneList, request.WindowSeconds)
            : SegmentPlanner.Fixed(duration, request.WindowSeconds);
        job.Progress.Report(25);

        var output = new JsonObject();
        IReadOnlyList<SegmentScore> scores;
        var fallbackReason = request.Scoring switch
        {
            "rules" => "rules scoring was requested",
            "auto" when !clients.IsGeminiConfigured => "GEMINI_API_KEY is not set",
            _ => null,
        };
        if (fallbackReason is null)
        {
            try
            {
                var (geminiScores, model, usage) = await ScoreWithGeminiAsync(job, request, segments, cancellationToken);
                scores = geminiScores;
                output["scoring"] = "gemini";
                output["model"] = model;
                output["tokenUsage"] = usage.ToJson();
            }
            catch (RetryableJobException ex) when (request.Scoring == "auto")
            {
                fallbackReason = "Gemini was unavailable: " + ex.Message;
                job.Logger.LogWarning("highlight_detect: {Reason}; scoring with rules instead.", fallbackReason);
                scores = await ScoreWithRulesAsync(job, request, input, segments, sceneList, info.HasVideo, cancellationToken);
            }
        }
        else
        {
            scores = await ScoreWithRulesAsync(job, request, input, segments, sceneList, info.HasVideo, cancellationToken);
        }

        if (fallbackReason is not null)
        {
            output["scoring"] = "rules";
            output["fallback_reason"] = fallbackReason;
        }

        var highlights = HighlightMerger.Merge(scores, request.MinSeconds, request.MaxSeconds, duration, request.MaxHighlights);
        output["highlights"] = new JsonArray(highlights.Select(h => (JsonNode)h.ToJson()).ToArray());
        output["rubric"] = fallbackReason is null ? request.Rubric.Name : "rules";
        output["segment_strategy"] = request.Strategy;
        output["duration"] = Math.Round(duration, 3);
        output["segments"] = new JsonArray(scores.Select(s => (JsonNode)s.ToJson()).ToArray());
        if (request.EnqueueClips)
        {
            output["clip_jobs"] = new JsonArray(highlights.Select(h => (JsonNode)job.FollowUps.Enqueue(new FollowUpJob("clip_extract", new JsonObject
            {
                ["input_path"] = request.InputParameter,
                ["start"] = Math.Round(h.Start, 3),
                ["end"] = Math.Round(h.End, 3),
            }))).ToArray());
        }

        job.Progress.Report(100);
        return output;
    }

    private async Task<(IReadOnlyList<SegmentScore>, string, TokenUsage)> ScoreWithGeminiAsync(IJobContext job, HighlightRequest request, IReadOnlyList<Segment> segments, CancellationToken cancellationToken)
    {
        var gemini = clients.CreateGemini(job.Logger);
        var transcript = request.TranscriptPath is { } t ? await TranscriptReader.ReadAsync(t, "transcript_path", cancellationToken) : null;
        await using var upload = await UploadedMedia.UploadAsync(gemini, request.InputPath, MediaTypes.MimeOf(request.InputPath), new ScaledProgress(job.Progress, 25, 60), cancellationToken);
        var model = request.Model ?? (request.Deep ? clients.Settings.DeepModel : clients.Settings.Model);
        var scorer = new GeminiSegmentScorer(new StructuredGenerator(new GeminiStructuredModel(gemini), job.Logger), model, request.Rubric, upload.Part, transcript);
        return await scorer.ScoreAsync(segments, new ScaledProgress(job.Progress, 60, 95), cancellationToken);
    }

    private Task<IReadOnlyList<Scene>> DetectScenesAsync(IJobContext job, HighlightRequest request, MediaInput input, CancellationToken cancellationToken) =>
        FfmpegFailures.RunAsync(
            () => scenes.DetectAsync(input, request.SceneThreshold, 0, new ScaledProgress(job.Progress, 5, 25), cancellationToken),
            "input_path",
            request.InputPath);

    private async Task<IReadOnlyList<SegmentScore>> ScoreWithRulesAsync(IJobContext job, HighlightRequest request, MediaInput input, IReadOnlyList<Segment> segments, IReadOnlyList<Scene>? sceneList, bool hasVideo, CancellationToken cancellationToken)
    {
        if (sceneList is null && hasVideo)
        {
            sceneList = await DetectScenesAsync(job, request, input, cancellationToken);
        }

        var profile = await FfmpegFailures.RunAsync(
            () => loudness.AnalyzeAsync(input, new ScaledProgress(job.Progress, 60, 95), cancellationToken),
            "input_path",
            request.InputPath);
        var cuts = sceneList?.Skip(1).Select(s => s.Start.TotalSeconds).ToArray();
        return RulesSegmentScorer.Score(segments, profile, cuts, request.RulesThreshold);
    }

    private static JsonObject BuildSchema()
    {
        var schema = (JsonObject)JsonNode.Parse("""
        {
          "type": "object",
          "properties": {
            "input_path": { "type": "string", "minLength": 1, "description": "A video or audio file." },
            "transcript_path": { "type": "string", "minLength": 1, "description": "A transcript.json of the same media; each segment's words go along to Gemini." },
            "min_highlight_seconds": { "type": "number", "minimum": 1, "maximum": 3600, "default": 10 },
            "max_highlight_seconds": { "type": "number", "minimum": 1, "maximum": 7200, "default": 120 },
            "segment_strategy": { "type": "string", "enum": ["scenes", "fixed"], "description": "scenes (default for video): scene changes, split to window_seconds; fixed (default for audio): equal windows of at most window_seconds." },
            "window_seconds": { "type": "number", "minimum": 1, "maximum": 600, "default": 15, "description": "The longest segment that is scored." },
            "scene_threshold": { "type": "number", "minimum": 0, "maximum": 1, "default": 0.3 },
            "scoring": { "type": "string", "enum": ["auto", "gemini", "rules"], "default": "auto", "description": "auto: Gemini, rules when Gemini is unavailable; gemini: fail (retryable) instead of falling back; rules: never call Gemini." },
            "mode": { "type": "string", "enum": ["standard", "deep"], "default": "standard", "description": "standard: GEMINI_MODEL; deep: GEMINI_DEEP_MODEL." },
            "model": { "type": "string", "minLength": 1, "maxLength": 200 },
            "rules_threshold": { "type": "number", "minimum": 0, "maximum": 1, "default": 0.5, "description": "The rules score (0-1) from which a segment is a highlight." },
            "max_highlights": { "type": "integer", "minimum": 1, "maximum": 1000 },
            "enqueue_clips": { "type": "boolean", "default": false, "description": "Enqueue a clip_extract job {input_path, start, end} per highlight." }
          },
          "required": ["input_path"],
          "additionalProperties": false
        }
        """)!;
        schema["properties"]!["rubric"] = Rubric.ParameterSchema();
        return schema;
    }
}
