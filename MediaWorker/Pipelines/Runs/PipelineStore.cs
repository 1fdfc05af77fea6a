using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Dapper;
using MediaWorker.Pipelines.Definitions;
using MediaWorker.Pipelines.Validation;
using MediaWorker.Storage;
using System.Data.Common;

namespace MediaWorker.Pipelines.Runs;

/// <summary>
/// Stored definitions (<c>pipeline_definitions</c>): each distinct text of a pipeline is a new
/// version; saving the same text again returns the version it already has. A stored version never
/// changes, so parsed definitions are cached by name and version.
/// </summary>
public static class PipelineStore
{
    private static readonly ConcurrentDictionary<(string Name, long Version, string Digest), PipelineDefinition> Parsed = new();

    /// <summary>Stores a validated definition's text; returns its version and whether it is new.</summary>
    public static (long Version, bool Created) Save(DbConnection connection, PipelineDefinition definition, string json, long nowMs)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var canonical = JsonNode.Parse(json, documentOptions: new System.Text.Json.JsonDocumentOptions { CommentHandling = System.Text.Json.JsonCommentHandling.Skip, AllowTrailingCommas = true })!.ToJsonString();
        var digest = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
        using var transaction = WriteTransaction.Begin(connection);
        var latest = connection.QuerySingleOrDefault<(long Version, string Digest)?>(
            "SELECT version, digest FROM pipeline_definitions WHERE name = @name ORDER BY version DESC LIMIT 1", new { name = definition.Name });
        if (latest is { } found && found.Digest == digest)
        {
            transaction.Commit();
            return (found.Version, false);
        }

        var version = (latest?.Version ?? 0) + 1;
        connection.Execute(
            "INSERT INTO pipeline_definitions (name, version, definition, digest, created_at) VALUES (@name, @version, @canonical, @digest, @now)",
            new { name = definition.Name, version, canonical, digest, now = nowMs });
        transaction.Commit();
        return (version, true);
    }

    /// <summary>The newest stored version of the pipeline, or null.</summary>
    public static long? LatestVersion(DbConnection connection, string name) =>
        connection.ExecuteScalar<long?>("SELECT MAX(version) FROM pipeline_definitions WHERE name = @name", new { name });

    /// <summary>One stored version, parsed.</summary>
    /// <exception cref="PipelineValidationException">The stored text no longer reads (it was edited by hand).</exception>
    public static PipelineDefinition? Load(DbConnection connection, string name, long version)
    {
        var row = connection.QuerySingleOrDefault<(string Definition, string Digest)?>(
            "SELECT definition, digest FROM pipeline_definitions WHERE name = @name AND version = @version", new { name, version });
        if (row is not { } stored)
        {
            return null;
        }

        return Parsed.GetOrAdd((name, version, stored.Digest), _ =>
        {
            var (definition, errors) = DefinitionReader.Read(stored.Definition);
            return definition ?? throw new PipelineValidationException(name, errors);
        });
    }

    /// <summary>Every stored pipeline's newest version: name, version, created_at.</summary>
    public static IReadOnlyList<(string Name, long Version, long CreatedAt)> List(DbConnection connection) =>
        connection.Query<(string, long, long)>(
            "SELECT d.name, d.version, d.created_at FROM pipeline_definitions d WHERE d.version = (SELECT MAX(version) FROM pipeline_definitions WHERE name = d.name) ORDER BY d.name").ToList();
}
