using System.Globalization;
using System.Text.Json.Nodes;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.Video.Common;

namespace MediaWorker.Plugins.Video.Streams;

/// <summary>
/// The pipeline started for every segment: a stored pipeline's name, and how the segment fills the
/// run's input (each input field names one of <see cref="Sources"/>) over constant values.
/// </summary>
internal sealed record SegmentPipeline(string Name, IReadOnlyDictionary<string, string> Mapping, JsonObject Constants)
{
    /// <summary>What an input field can take from the segment.</summary>
    public static readonly string[] Sources = ["segment_path", "audio_path", "index", "start", "duration"];

    /// <summary>The input mapping without <c>input</c>: the shipped pipelines read <c>input.path</c>.</summary>
    private static readonly (string Field, string Source)[] DefaultMapping =
        [("path", "segment_path"), ("audio_path", "audio_path"), ("index", "index"), ("start", "start"), ("duration", "duration")];

    public static JsonObject Schema() => ParameterSchema.Object(
        [
            ("name", ParameterSchema.Pattern("A stored pipeline's name (mediaworker pipeline run FILE or POST /api/pipelines stores one).", "^[A-Za-z0-9_-]{1,100}$")),
            ("input", new JsonObject
            {
                ["type"] = "object",
                ["description"] = "The run's input fields and what each takes from the segment (default: path, audio_path, index, start, duration).",
                ["additionalProperties"] = new JsonObject { ["enum"] = new JsonArray([.. Sources.Select(s => (JsonNode)JsonValue.Create(s))]) },
            }),
            ("constants", new JsonObject { ["type"] = "object", ["description"] = "Constant input fields for every run (switches such as enable_vision); the mapped fields win." }),
        ],
        "name");

    /// <summary>Reads the <c>pipeline</c> parameter, or <see langword="null"/> without one.</summary>
    public static SegmentPipeline? Read(JsonObject? spec, bool extractAudio)
    {
        if (spec is null)
        {
            return null;
        }

        var parameters = new JobParameters(spec);
        var explicitMapping = spec["input"] as JsonObject;
        var mapping = explicitMapping is not null
            ? explicitMapping.ToDictionary(p => p.Key, p => (string)p.Value!, StringComparer.Ordinal)
            : DefaultMapping.Where(m => extractAudio || m.Source != "audio_path").ToDictionary(m => m.Field, m => m.Source, StringComparer.Ordinal);
        if (explicitMapping is not null && !extractAudio && mapping.ContainsValue("audio_path"))
        {
            throw JobParameters.Invalid("pipeline.input", "maps the segment's audio_path, which needs extract_audio: true");
        }

        return new SegmentPipeline(parameters.RequiredString("name"), mapping, spec["constants"] is JsonObject constants ? constants : []);
    }

    /// <summary>The run for <paramref name="segment"/>, keyed by its index so that no attempt starts it twice.</summary>
    public PipelineRunStart For(SegmentRecord segment)
    {
        var input = Constants.DeepClone().AsObject();
        foreach (var (field, source) in Mapping)
        {
            input[field] = source switch
            {
                "segment_path" => segment.File,
                "audio_path" => segment.Audio,
                "index" => segment.Index,
                "start" => JsonOutput.Seconds(segment.Start),
                _ => JsonOutput.Seconds(segment.Duration),
            };
        }

        return new PipelineRunStart(Name, input, "segment-" + segment.Index.ToString("D6", CultureInfo.InvariantCulture));
    }
}
