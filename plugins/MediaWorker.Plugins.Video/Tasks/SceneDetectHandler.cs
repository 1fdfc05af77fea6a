using System.Text.Json.Nodes;
using MediaWorker.Ffmpeg.Scenes;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.Video.Common;

namespace MediaWorker.Plugins.Video.Tasks;

/// <summary><c>scene_detect</c>: the scenes between hard cuts, covering the whole video.</summary>
internal sealed class SceneDetectHandler(VideoServices services) : VideoTaskHandler(services)
{
    private static readonly Dictionary<string, SceneMetric> Detectors = new(StringComparer.Ordinal)
    {
        ["colour"] = SceneMetric.Colour,
        ["luma"] = SceneMetric.Luma,
    };

    public override TaskDescriptor Descriptor { get; } = new()
    {
        TaskType = "scene_detect",
        Description = "Finds hard cuts (by colour and brightness, or by ffmpeg's brightness-only scene score) and returns the scenes between them, covering the whole video.",
        ParameterSchema = ParameterSchema.Object(
        [
            ParameterSchema.InputPath(),
            ("threshold", ParameterSchema.Number("How different consecutive frames must be to count as a cut (0-1); lower finds more cuts.", 0, 1, 0.3)),
            ("min_scene_seconds", ParameterSchema.Number("The shortest scene to keep; a shorter one merges into the scene before it (a short first scene, having none before, into the next).", 0, 3600, 0)),
            ("detector", ParameterSchema.Enum(
                "colour: hue, saturation and value of consecutive frames, like PySceneDetect's content detector (finds a cut between two colours of equal brightness); luma: ffmpeg's scene score, brightness only.",
                Detectors.Keys,
                "colour")),
        ],
        "input_path"),
        DefaultTimeout = TimeSpan.FromMinutes(60),
    };

    protected override async Task<JsonObject> RunAsync(VideoJob job, CancellationToken cancellationToken)
    {
        var threshold = job.Parameters.OptionalNumberInRange("threshold", 0, 1) ?? 0.3;
        var minScene = job.Parameters.OptionalNumberInRange("min_scene_seconds", 0, 3600) ?? 0;
        var detector = job.Parameters.Choice("detector", "colour", Detectors.Keys);
        var scenes = await Services.Scenes.DetectAsync(job.Input, Detectors[detector], threshold, minScene, job.Context.Progress, cancellationToken);
        return new JsonObject
        {
            ["detector"] = detector,
            ["threshold"] = threshold,
            ["min_scene_seconds"] = minScene,
            ["duration"] = JsonOutput.Seconds(scenes[^1].End),
            ["scene_count"] = scenes.Count,
            ["scenes"] = new JsonArray([.. scenes.Select(s => (JsonNode)new JsonObject
            {
                ["index"] = s.Index,
                ["start"] = JsonOutput.Seconds(s.Start),
                ["end"] = JsonOutput.Seconds(s.End),
                ["duration"] = JsonOutput.Seconds(s.Duration),
                ["score"] = Math.Round(s.Score, 4),
            })]),
        };
    }
}
