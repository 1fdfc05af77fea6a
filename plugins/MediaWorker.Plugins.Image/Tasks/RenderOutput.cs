using System.Text.Json.Nodes;
using MediaWorker.Plugins.Image.Processing;

namespace MediaWorker.Plugins.Image.Tasks;

/// <summary>
/// The output object of the image-writing tasks: the file written and what it holds. Like every
/// MediaWorker task output, <c>files</c> lists every file the job wrote.
/// </summary>
internal static class RenderOutput
{
    public static JsonObject ToJson(RenderResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new JsonObject
        {
            ["path"] = result.Path,
            ["width"] = result.Width,
            ["height"] = result.Height,
            ["format"] = result.Format.Name,
            ["bytes"] = result.Bytes,
            ["frames"] = result.Frames,
            ["files"] = new JsonArray(result.Path),
        };
    }
}
