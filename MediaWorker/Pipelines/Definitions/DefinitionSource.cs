using System.Text.Json;
using System.Text.Json.Nodes;

namespace MediaWorker.Pipelines.Definitions;

/// <summary>The languages a definition can be written in; both map to the same definition model.</summary>
public enum DefinitionFormat
{
    /// <summary>JSON, with comments and trailing commas allowed.</summary>
    Json,

    /// <summary>YAML 1.2 (one document).</summary>
    Yaml,
}

/// <summary>A definition's text and the language it is written in.</summary>
/// <param name="Text">The file's or request body's text.</param>
/// <param name="Format">JSON or YAML.</param>
public sealed record DefinitionSource(string Text, DefinitionFormat Format)
{
    private static readonly JsonDocumentOptions JsonOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>The format a file name says: <c>.yaml</c> and <c>.yml</c> are YAML, anything else JSON.</summary>
    public static DefinitionFormat FormatOfFile(string path) =>
        Path.GetExtension(path).ToUpperInvariant() is ".YAML" or ".YML" ? DefinitionFormat.Yaml : DefinitionFormat.Json;

    /// <summary>The format an HTTP Content-Type says: <c>application/yaml</c> (and the older <c>application/x-yaml</c>, <c>text/yaml</c>, <c>text/x-yaml</c>) is YAML, anything else JSON.</summary>
    public static DefinitionFormat FormatOfMediaType(string? contentType)
    {
        var mediaType = (contentType ?? string.Empty).Split(';')[0].Trim().ToUpperInvariant();
        return mediaType is "APPLICATION/YAML" or "APPLICATION/X-YAML" or "TEXT/YAML" or "TEXT/X-YAML" ? DefinitionFormat.Yaml : DefinitionFormat.Json;
    }

    /// <summary>The definition as the JSON tree it stands for (null and the error when the text does not parse), with the lines of its fields for YAML.</summary>
    internal (JsonNode? Root, SourceLines? Lines, string? Error) Parse()
    {
        if (Format == DefinitionFormat.Yaml)
        {
            return YamlDefinition.Read(Text);
        }

        try
        {
            return (JsonNode.Parse(Text, documentOptions: JsonOptions), null, null);
        }
        catch (JsonException ex)
        {
            return (null, null, $"the definition is not valid JSON: {ex.Message}");
        }
    }

    /// <summary>The canonical JSON text that is stored: the same for the same definition whatever its spacing, comments or language.</summary>
    /// <exception cref="Validation.PipelineValidationException">The text does not parse.</exception>
    public string ToCanonicalJson()
    {
        var (root, _, error) = Parse();
        return error is null && root is not null ? root.ToJsonString() : throw new Validation.PipelineValidationException("", [error ?? "the definition is empty"]);
    }
}
