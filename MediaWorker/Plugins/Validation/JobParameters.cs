using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MediaWorker.Plugins.Validation;

/// <summary>
/// Reads a job's <c>params</c> text into a <see cref="JsonObject"/>, the one way the worker and the
/// CLI do it. NULL, empty and JSON <c>null</c> mean "no parameters". A key that appears twice in
/// one object (<c>{"seconds": 0, "seconds": 99999}</c>) is refused by name: JSON leaves its meaning
/// open, and <see cref="JsonObject"/> would only throw an <see cref="ArgumentException"/> later,
/// on first use, which looks like a handler bug and would be retried.
/// </summary>
public static class JobParameters
{
    /// <summary>Parses <paramref name="json"/>.</summary>
    /// <exception cref="JsonException">Not JSON, not an object, or a key repeated (<see cref="DuplicateKeyException"/>); the message says which and where.</exception>
    public static JsonObject Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return [];
        }

        return ParseValue(json) switch
        {
            null => [],
            JsonObject parameters => parameters,
            _ => throw new JsonException("the value is not an object"),
        };
    }

    /// <summary>Parses any JSON value, refusing repeated keys in every object it holds.</summary>
    /// <param name="json">The text.</param>
    /// <param name="path">Where the value sits, for the message: <c>params</c>, or <c>params.size</c> for one parameter.</param>
    /// <exception cref="DuplicateKeyException">An object in the value has a key twice.</exception>
    /// <exception cref="JsonException">The text is not JSON.</exception>
    public static JsonNode? ParseValue(string json, string path = "params")
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        using (var document = JsonDocument.Parse(bytes))
        {
            // JsonDocument keeps every property, repeated ones too; JsonObject would throw on first use.
            RefuseDuplicateKeys(document.RootElement, path);
        }

        return JsonNode.Parse(bytes);
    }

    private static void RefuseDuplicateKeys(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var keys = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    if (!keys.Add(property.Name))
                    {
                        throw new DuplicateKeyException(path, property.Name);
                    }

                    if (IsContainer(property.Value))
                    {
                        RefuseDuplicateKeys(property.Value, $"{path}.{property.Name}");
                    }
                }

                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (IsContainer(item))
                    {
                        RefuseDuplicateKeys(item, $"{path}[{index}]");
                    }

                    index++;
                }

                break;
        }
    }

    private static bool IsContainer(JsonElement element) => element.ValueKind is JsonValueKind.Object or JsonValueKind.Array;
}

/// <summary>A JSON object in a job's parameters has the same key more than once.</summary>
public sealed class DuplicateKeyException(string path, string key)
    : JsonException($"{path} has the key '{key}' more than once; each key may appear only once")
{
    /// <summary>The object holding the repeated key, e.g. <c>params</c> or <c>params.crop</c>.</summary>
    public string ObjectPath { get; } = path;

    /// <summary>The repeated key.</summary>
    public string Key { get; } = key;
}
