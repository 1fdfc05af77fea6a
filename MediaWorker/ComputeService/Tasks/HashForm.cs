using System.Text.Json.Nodes;
using MediaWorker.ComputeService.Forms;

namespace MediaWorker.ComputeService.Tasks;

/// <summary><c>hash</c>: <c>algorithm</c> sha512 (the seed's default) or md5; our task takes the same names.</summary>
public sealed class HashForm : ISeedTaskForm
{
    private static readonly string[] Algorithms = ["sha512", "md5"];

    public string TaskType => "hash";

    public bool RequiresUpload => true;

    public bool AcceptsEmptyUpload => true;

    public JsonObject BuildParameters(FormValues form, string? inputPath)
    {
        ArgumentNullException.ThrowIfNull(form);
        return new JsonObject
        {
            ["input_path"] = inputPath,
            ["algorithm"] = form.Choice("algorithm", Algorithms, "sha512"),
        };
    }
}
