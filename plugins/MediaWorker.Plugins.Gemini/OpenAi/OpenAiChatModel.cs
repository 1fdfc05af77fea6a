using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.Gemini.Api;
using MediaWorker.Plugins.Gemini.Structured;

namespace MediaWorker.Plugins.Gemini.OpenAi;

/// <summary>
/// Structured answers from a server that speaks the OpenAI chat completions API (llama.cpp's
/// server, vLLM, Ollama, LocalAI, ...): <c>POST {OPENAI_BASE_URL}/chat/completions</c> with a
/// <c>json_schema</c> response format. Text only: files cannot be sent.
/// </summary>
internal sealed class OpenAiChatModel(RestTransport transport) : IStructuredModel
{
    public string Provider => "openai-compatible";

    public async Task<GeneratedText> GenerateAsync(StructuredPrompt prompt, CancellationToken cancellationToken)
    {
        var messages = new JsonArray { new JsonObject { ["role"] = "system", ["content"] = prompt.SystemInstruction } };
        foreach (var turn in prompt.Turns)
        {
            if (turn.Parts.Any(p => p.FileData is not null))
            {
                throw new PermanentJobException("AI_PROVIDER=openai-compatible analyses text and transcripts only; use AI_PROVIDER=gemini for audio and video.");
            }

            messages.Add(new JsonObject
            {
                ["role"] = turn.Role == "model" ? "assistant" : "user",
                ["content"] = string.Concat(turn.Parts.Select(p => p.Text)),
            });
        }

        var body = new JsonObject
        {
            ["model"] = prompt.Model,
            ["messages"] = messages,
            ["temperature"] = prompt.Temperature,
            ["response_format"] = new JsonObject
            {
                ["type"] = "json_schema",
                ["json_schema"] = new JsonObject { ["name"] = "answer", ["schema"] = ToJsonSchema(prompt.Schema) },
            },
        };

        using var response = await transport.SendAsync($"chat completion ({prompt.Model})", () => new HttpRequestMessage(HttpMethod.Post, "chat/completions")
        {
            Content = JsonContent.Create(body),
        }, cancellationToken);
        var answer = await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken);
        var choice = answer?["choices"]?[0];
        var text = choice?["message"]?["content"]?.GetValue<string>()
            ?? throw new RetryableJobException($"The OpenAI-compatible server returned no message for model {prompt.Model}.");
        var usage = answer!["usage"];
        return new GeneratedText(
            text,
            choice!["finish_reason"]?.GetValue<string>() is "length" ? "MAX_TOKENS" : null,
            answer["model"]?.GetValue<string>() ?? prompt.Model,
            new TokenUsage(
                usage?["prompt_tokens"]?.GetValue<int>() ?? 0,
                usage?["completion_tokens"]?.GetValue<int>() ?? 0,
                usage?["total_tokens"]?.GetValue<int>() ?? 0));
    }

    /// <summary>The Gemini-dialect schema as standard JSON Schema (lower-case types, closed objects).</summary>
    internal static JsonObject ToJsonSchema(JsonObject schema)
    {
        var result = new JsonObject();
        foreach (var (key, value) in schema)
        {
            switch (key)
            {
                case "propertyOrdering":
                    break;
                case "type":
                    result["type"] = value!.GetValue<string>().ToLowerInvariant();
                    break;
                case "properties":
                    var properties = new JsonObject();
                    foreach (var (name, child) in (JsonObject)value!)
                    {
                        properties[name] = ToJsonSchema((JsonObject)child!);
                    }

                    result["properties"] = properties;
                    result["additionalProperties"] = false;
                    break;
                case "items":
                    result["items"] = ToJsonSchema((JsonObject)value!);
                    break;
                default:
                    result[key] = value?.DeepClone();
                    break;
            }
        }

        return result;
    }
}
