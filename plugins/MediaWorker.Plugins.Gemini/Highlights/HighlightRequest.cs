using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.Gemini.Media;
using MediaWorker.Plugins.Gemini.Parameters;

namespace MediaWorker.Plugins.Gemini.Highlights;

/// <summary>A highlight_detect job's parameters, read and cross-checked.</summary>
internal sealed record HighlightRequest
{
    public required string InputParameter { get; init; }

    public required string InputPath { get; init; }

    public string? TranscriptPath { get; init; }

    public required Rubric Rubric { get; init; }

    public double MinSeconds { get; init; }

    public double MaxSeconds { get; init; }

    public string? RequestedStrategy { get; init; }

    public string Strategy { get; private set; } = "fixed";

    public double WindowSeconds { get; init; }

    public double SceneThreshold { get; init; }

    public required string Scoring { get; init; }

    public bool Deep { get; init; }

    public string? Model { get; init; }

    public double RulesThreshold { get; init; }

    public int? MaxHighlights { get; init; }

    public bool EnqueueClips { get; init; }

    public static HighlightRequest Read(IJobContext job)
    {
        var parameters = new JobParameters(job.Parameters);
        var input = parameters.RequiredString("input_path");
        var path = job.Files.ResolveInput(input);
        if (MediaTypes.KindOf(path) is not (InputKind.Video or InputKind.Audio))
        {
            throw new PermanentJobException($"input_path '{Path.GetFileName(path)}' must be a video ({MediaTypes.ExtensionsOf(InputKind.Video)}) or audio file ({MediaTypes.ExtensionsOf(InputKind.Audio)}).");
        }

        var request = new HighlightRequest
        {
            InputParameter = input,
            InputPath = path,
            TranscriptPath = parameters.String("transcript_path") is { } t ? job.Files.ResolveInput(t, "transcript_path") : null,
            Rubric = Rubric.Parse(parameters.Object("rubric")),
            MinSeconds = parameters.Number("min_highlight_seconds", 10, 1, 3600),
            MaxSeconds = parameters.Number("max_highlight_seconds", 120, 1, 7200),
            RequestedStrategy = parameters.Has("segment_strategy") ? parameters.Choice("segment_strategy", "scenes", "scenes", "fixed") : null,
            WindowSeconds = parameters.Number("window_seconds", 15, 1, 600),
            SceneThreshold = parameters.Number("scene_threshold", 0.3, 0, 1),
            Scoring = parameters.Choice("scoring", "auto", "auto", "gemini", "rules"),
            Deep = parameters.Choice("mode", "standard", "standard", "deep") == "deep",
            Model = parameters.String("model"),
            RulesThreshold = parameters.Number("rules_threshold", 0.5, 0, 1),
            MaxHighlights = parameters.Integer("max_highlights", 1, 1000),
            EnqueueClips = parameters.Boolean("enqueue_clips", false),
        };

        if (request.MinSeconds > request.MaxSeconds)
        {
            throw new PermanentJobException($"min_highlight_seconds ({request.MinSeconds}) is above max_highlight_seconds ({request.MaxSeconds}).");
        }

        if (request.WindowSeconds > request.MaxSeconds)
        {
            throw new PermanentJobException($"window_seconds ({request.WindowSeconds}) is above max_highlight_seconds ({request.MaxSeconds}); a segment must fit in a highlight.");
        }

        return request;
    }

    /// <summary>Checks the request against what the media holds and settles the segment strategy.</summary>
    public void CheckAgainst(bool hasVideo, bool hasAudio)
    {
        if (RequestedStrategy == "scenes" && !hasVideo)
        {
            throw new PermanentJobException($"segment_strategy 'scenes' needs a video; '{Path.GetFileName(InputPath)}' has no video stream. Use segment_strategy 'fixed'.");
        }

        if (Scoring == "rules" && !hasAudio)
        {
            throw new PermanentJobException($"Rules scoring measures loudness, but '{Path.GetFileName(InputPath)}' has no audio stream; use scoring 'gemini'.");
        }

        Strategy = RequestedStrategy ?? (hasVideo ? "scenes" : "fixed");
    }
}
