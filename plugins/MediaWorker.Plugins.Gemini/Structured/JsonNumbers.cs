using System.Text.Json;
using System.Text.Json.Nodes;

namespace MediaWorker.Plugins.Gemini.Structured;

/// <summary>
/// Reads numbers from JSON nodes however they were made: <c>GetValue&lt;double&gt;</c> fails on a
/// node built from a C# int, which parameters from a test or another plugin may be.
/// </summary>
internal static class JsonNumbers
{
    public static double ToDouble(JsonNode node) => node.Deserialize<double>();

    public static int ToInt(JsonNode node) => node.Deserialize<int>();
}
