using System.Reflection;
using System.Runtime.Loader;
using System.Text.Json.Nodes;
using MediaWorker.Plugins.Abstractions;
using Serilog;

namespace FixtureSerilog;

/// <summary>Reports which Serilog assembly this plugin's code binds to, and that it works.</summary>
internal sealed class SerilogVersionHandler : ITaskHandler
{
    public TaskDescriptor Descriptor { get; } = new()
    {
        TaskType = "serilog_version",
        Description = "Reports the Serilog version the plugin sees (test fixture).",
        ParameterSchema = new JsonObject { ["type"] = "object", ["additionalProperties"] = false },
    };

    public Task<JsonObject> ExecuteAsync(IJobContext job, CancellationToken cancellationToken)
    {
        var assembly = typeof(LoggerConfiguration).Assembly;
        var written = new List<string>();

        // Exercise the library for real: a logger built with the 2.x API writes through a sink.
        using (var logger = new LoggerConfiguration().WriteTo.Sink(new ListSink(written)).CreateLogger())
        {
            logger.Information("hello from {Plugin}", "FixtureSerilog");
        }

        return Task.FromResult(new JsonObject
        {
            ["serilog_version"] = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion,
            ["serilog_assembly_version"] = assembly.GetName().Version?.ToString(),
            ["load_context"] = AssemblyLoadContext.GetLoadContext(assembly)?.Name,
            ["logged"] = written.Count == 1 ? written[0] : null,
        });
    }

    private sealed class ListSink(List<string> lines) : Serilog.Core.ILogEventSink
    {
        public void Emit(Serilog.Events.LogEvent logEvent) => lines.Add(logEvent.RenderMessage(null));
    }
}
