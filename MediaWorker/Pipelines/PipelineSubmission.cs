using System.Text.Json.Nodes;
using MediaWorker.Cli;
using MediaWorker.Pipelines.Definitions;
using MediaWorker.Pipelines.Runs;
using MediaWorker.Pipelines.Validation;
using MediaWorker.Plugins;
using System.Data.Common;

namespace MediaWorker.Pipelines;

/// <summary>What the CLI and the HTTP API do with a definition text: validate it against the loaded tasks, and store it.</summary>
public static class PipelineSubmission
{
    /// <summary>The task schemas of a plugin registry, for the validator.</summary>
    public static TaskSchemas SchemasOf(TaskRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return (string taskType, out JsonObject? schema) =>
        {
            schema = registry.Tasks.TryGetValue(taskType, out var task) ? task.Descriptor.ParameterSchema : null;
            return task is not null;
        };
    }

    /// <summary>Validates and stores a JSON or YAML definition (as its canonical JSON, so the same definition in either language is one version).</summary>
    /// <exception cref="UsageException">The definition is not valid; the message lists every error.</exception>
    public static (PipelineDefinition Definition, long Version, IReadOnlyList<string> Warnings) Store(DbConnection connection, DefinitionSource source, TaskSchemas schemas, long nowMs)
    {
        ArgumentNullException.ThrowIfNull(source);
        var (definition, report) = PipelineValidator.Validate(source, schemas);
        if (definition is null)
        {
            throw new UsageException(new PipelineValidationException("", report.Errors).Message);
        }

        var (version, _) = PipelineStore.Save(connection, definition, source.ToCanonicalJson(), nowMs);
        return (definition, version, report.Warnings);
    }
}
