using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using MediaWorker.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace MediaWorker.Testing.Gemini;

/// <summary>The OpenAI-compatible chat completions endpoint, for AI_PROVIDER=openai-compatible.</summary>
public sealed partial class FakeGeminiServer
{
    private async Task ChatAsync(HttpContext context)
    {
        var body = await ReadJsonAsync(context);
        Record(context, "chat", body?["model"]?.GetValue<string>(), body);
        if (context.Request.Headers.Authorization != "Bearer " + OpenAiKey)
        {
            Violations.Enqueue("chat: the Authorization header does not carry the OpenAI key");
            await WriteAsync(context, new FakeReply(401, """{"error":{"message":"Invalid API key","type":"invalid_request_error"}}"""));
            return;
        }

        if (context.Request.Headers.ContainsKey("x-goog-api-key"))
        {
            Violations.Enqueue("chat: the Gemini key was sent to the OpenAI-compatible server");
        }

        if (context.Request.Path != "/openai/v1/chat/completions" || body?["response_format"]?["json_schema"]?["schema"]?["type"] is null)
        {
            Violations.Enqueue($"chat: wrong path {context.Request.Path} or no json_schema response format");
            await WriteAsync(context, new FakeReply(400, """{"error":{"message":"bad request"}}"""));
            return;
        }

        var reply = Next("chat", body);
        if (reply is null)
        {
            Violations.Enqueue("chat was called more often than the test scripted");
            reply = new FakeReply(500, """{"error":{"message":"no scripted answer"}}""");
        }

        await WriteAsync(context, reply);
    }

    /// <summary>An OpenAI chat completion whose message content is <paramref name="content"/>.</summary>
    public static FakeReply ChatAnswer(string content, string model = "fake-local") => new(200, new JsonObject
    {
        ["id"] = "chatcmpl-1",
        ["object"] = "chat.completion",
        ["model"] = model,
        ["choices"] = new JsonArray(new JsonObject
        {
            ["index"] = 0,
            ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = content },
            ["finish_reason"] = "stop",
        }),
        ["usage"] = new JsonObject { ["prompt_tokens"] = 40, ["completion_tokens"] = 20, ["total_tokens"] = 60 },
    }.ToJsonString());
}
