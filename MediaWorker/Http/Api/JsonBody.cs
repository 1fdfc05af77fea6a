using System.Text.Json;
using System.Text.Json.Nodes;
using MediaWorker.Cli;
using Microsoft.AspNetCore.Http;

namespace MediaWorker.Http.Api;

/// <summary>Reads a request's JSON object body and its fields, refusing bad input with one-line messages.</summary>
internal static class JsonBody
{
    /// <summary>The body as a JSON object; <paramref name="example"/> shows what one looks like in the refusal.</summary>
    public static async Task<JsonObject> ReadObjectAsync(HttpRequest request, string example)
    {
        JsonNode? body;
        try
        {
            body = await JsonNode.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted);
        }
        catch (JsonException ex)
        {
            throw new UsageException($"The request body is not valid JSON: {ex.Message}", ex);
        }

        return body as JsonObject ?? throw new UsageException($"The request body must be a JSON object such as {example}.");
    }

    /// <summary>A field of the given type, or default when absent; the wrong type is refused naming the field.</summary>
    public static T? Field<T>(JsonObject body, string name)
    {
        var node = body[name];
        if (node is null)
        {
            return default;
        }

        try
        {
            return node.Deserialize<T>();
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            var expected = typeof(T) == typeof(string) ? "text" : typeof(T) == typeof(double?) ? "a number" : typeof(T) == typeof(bool?) ? "true or false" : "a whole number";
            throw new UsageException($"{name} must be {expected}; got {node.ToJsonString()}.", ex);
        }
    }

    /// <summary>The <c>params</c> object (a copy), empty when absent.</summary>
    public static JsonObject Params(JsonObject body) => body["params"] switch
    {
        null => [],
        JsonObject o => (JsonObject)o.DeepClone(),
        _ => throw new UsageException("params must be a JSON object, e.g. {\"seconds\": 1}."),
    };
}
