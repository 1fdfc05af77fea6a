using System.Text.Json.Nodes;

namespace MediaWorker.Tests.Pipelines.Support;

/// <summary>The task types the validator tests know: <c>noop</c> (any parameters) and <c>clip</c> (a closed schema with required fields).</summary>
internal static class TestTaskSchemas
{
    private static readonly Dictionary<string, JsonObject?> Tasks = new()
    {
        ["noop"] = null,
        ["clip"] = JsonNode.Parse("""
            {"type": "object", "additionalProperties": false, "required": ["input_path", "start"],
             "properties": {"input_path": {"type": "string"}, "start": {"type": "number", "minimum": 0}, "end": {"type": "number"}}}
            """)!.AsObject(),
    };

    public static bool Lookup(string taskType, out JsonObject? schema) => Tasks.TryGetValue(taskType, out schema);
}
