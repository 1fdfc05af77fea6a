using System.Text.Json.Nodes;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.Video.Common;

namespace MediaWorker.Plugins.Video.Tasks;

/// <summary><c>scene_detect</c>: the scenes between hard cuts, covering the whole video.</summary>
internal sealed class SceneDetectHandler(VideoServices services) : VideoTaskHandler(services)
{
    public override TaskDescriptor Descriptor { get; } = new()
    {
        TaskType = "scene_detect",
        Description = "Finds hard cuts with ffmpeg's scene score and returns the scenes between them, covering the whole video.",
        ParameterSchema = ParameterSchema.Object(
        [
            ParameterSchema.InputPath(),
            ("threshold", ParameterSchema.Number("How different consecutive frames must be to count as a cut (0-1); lower finds more cuts.", 0, 1, 0.3)),
            ("min_scene_seconds", ParameterSchema.Number("The shortest scene to keep; a shorter one merges into the scene before it.", 0, 3600, 0)),
        ],
        "input_path"),
        DefaultTimeout = TimeSpan.FromMinutes(60),
    };

    protected override async Task<JsonObject> RunAsync(VideoJob job, CancellationToken cancellationToken)
    {
        var threshold = job.Parameters.OptionalNumberInRange("threshold", 0, 1) ?? 0.3;
        var minScene = job.Parameters.OptionalNumberInRange("min_scene_seconds", 0, 3600) ?? 0;
        var scenes = await Services.Scenes.DetectAsync(job.Input, threshold, minScene, job.Context.Progress, cancellationToken);
        return new JsonObject
        {
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
