using System.Text.Json.Nodes;
using MediaWorker.ComputeService.Forms;

namespace MediaWorker.ComputeService.Tasks;

/// <summary>
/// One of the seed's <c>POST /jobs/{task}</c> forms (cl_ml_tools plugins/*/routes.py): its fields
/// and defaults, mapped onto the parameters our plugin's task takes.
/// </summary>
public interface ISeedTaskForm
{
    /// <summary>The task type, as the seed and our plugin name it.</summary>
    string TaskType { get; }

    /// <summary>Whether the form must carry a file (hls_streaming may name a path instead).</summary>
    bool RequiresUpload { get; }

    /// <summary>Whether a 0-byte upload can be a valid input (a hash of nothing is; an empty image is not).</summary>
    bool AcceptsEmptyUpload { get; }

    /// <summary>
    /// The job's parameters; problems go to <see cref="FormValues.Errors"/>.
    /// </summary>
    /// <param name="form">The text fields.</param>
    /// <param name="inputPath">The upload as <c>input/&lt;name&gt;</c>, or null when none was sent.</param>
    JsonObject BuildParameters(FormValues form, string? inputPath);
}
