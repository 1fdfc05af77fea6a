using System.Text.Json;
using System.Text.Json.Serialization;

namespace MediaWorker.Plugins.Gemini.Api;

/// <summary>The serializer settings of every REST body this plugin sends or reads.</summary>
internal static class GeminiJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
