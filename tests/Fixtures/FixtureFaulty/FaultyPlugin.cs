using System.Text.Json.Nodes;
using MediaWorker.Plugins.Abstractions;

namespace FixtureFaulty;

/// <summary>Serves <c>faulty_ok</c>, or fails in the way <c>FIXTURE_FAULT</c> says.</summary>
public sealed class FaultyPlugin : IMediaWorkerPlugin
{
    public IEnumerable<ITaskHandler> CreateHandlers(PluginContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        switch (context.Settings.GetValue("FIXTURE_FAULT"))
        {
            case "throw":
                throw new InvalidOperationException("FIXTURE_FAULT asked CreateHandlers to fail.");
            case "null_list":
                return null!;
            case "null_handler":
                return [null!];
            case "lazy_throw":
                return ThrowAfterFirst();
            case "duplicate":
                return [new Handler(Descriptor("faulty_ok")), new Handler(Descriptor("faulty_ok"))];
            case "bad_schema":
                return [new Handler(Descriptor("faulty_ok") with { ParameterSchema = new JsonObject { ["properties"] = new JsonObject { ["w"] = new JsonObject { ["type"] = "integer", ["minimun"] = 1 } } } })];
            case "bad_task_type":
                return [new Handler(Descriptor("faulty ok"))];
            case "descriptor_throws":
                return [new Handler(null)];
            default:
                return [new Handler(Descriptor("faulty_ok"))];
        }
    }

    private static IEnumerable<ITaskHandler> ThrowAfterFirst()
    {
        yield return new Handler(Descriptor("faulty_ok"));
        throw new InvalidOperationException("FIXTURE_FAULT made the handler list fail half-way.");
    }

    private static TaskDescriptor Descriptor(string taskType) => new() { TaskType = taskType, Description = "Returns {} (test fixture)." };

    private sealed class Handler(TaskDescriptor? descriptor) : ITaskHandler
    {
        public TaskDescriptor Descriptor => descriptor ?? throw new NotSupportedException("FIXTURE_FAULT made the descriptor fail.");

        public Task<JsonObject> ExecuteAsync(IJobContext job, CancellationToken cancellationToken) => Task.FromResult(new JsonObject());
    }
}
