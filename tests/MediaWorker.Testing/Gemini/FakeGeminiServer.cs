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

/// <summary>
/// A local stand-in for the Gemini v1beta REST API on a free loopback port. It speaks the same
/// shapes (generateContent, the resumable File API, embedContent/batchEmbedContents) plus an
/// OpenAI-compatible chat endpoint under <c>/openai/v1</c>, answers from scripts, and CHECKS what
/// it receives: paths and models, the key header, responseSchema, upload headers and offsets.
/// Every protocol mistake the client makes is answered like the real service would (mostly 400)
/// and recorded in <see cref="Violations"/>, which tests assert to be empty.
/// </summary>
public sealed partial class FakeGeminiServer : IAsyncDisposable
{
    /// <summary>A key distinctive enough that a leak into any text is found by a substring search.</summary>
    public const string ApiKey = "AIzaFAKE-test-key-7d41c9e2b58a";

    public const string OpenAiKey = "sk-fake-openai-key-93ab17";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<Func<JsonObject, FakeReply>>> _scripts = new();
    private readonly ConcurrentDictionary<string, UploadSession> _sessions = new();
    private readonly ConcurrentDictionary<string, FakeFile> _files = new();
    private int _nextId;

    private FakeGeminiServer(WebApplication app, int port)
    {
        _app = app;
        BaseUrl = new Uri($"http://127.0.0.1:{port}/");
    }

    public Uri BaseUrl { get; }

    public Uri OpenAiBaseUrl => new(BaseUrl, "openai/v1/");

    /// <summary>The settings a worker (or the plugin in-process) gets to talk to this server: its key, URL and models, fast retries and polls.</summary>
    public Dictionary<string, string?> WorkerSettings() => new()
    {
        ["GEMINI_API_KEY"] = ApiKey,
        ["GEMINI_BASE_URL"] = BaseUrl.ToString(),
        ["GEMINI_MODEL"] = "fake-flash",
        ["GEMINI_DEEP_MODEL"] = "fake-pro",
        ["GEMINI_EMBED_MODEL"] = "fake-embed",
        ["GEMINI_TIMEOUT"] = "30",
        ["GEMINI_RETRY_DELAY"] = "0.01",
        ["GEMINI_FILE_POLL_INTERVAL"] = "0.02",
    };

    /// <summary>Models the server knows; others get 404 NOT_FOUND like the real API.</summary>
    public HashSet<string> KnownModels { get; } = ["fake-flash", "fake-pro", "fake-embed", "fake-local"];

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public ConcurrentQueue<string> Violations { get; } = new();

    public ConcurrentBag<string> DeletedFiles { get; } = [];

    /// <summary>Status polls that still answer PROCESSING for each new file.</summary>
    public int ProcessingPolls { get; set; }

    /// <summary>Files end in state FAILED instead of ACTIVE.</summary>
    public bool FailProcessing { get; set; }

    /// <summary>Chunk granularity announced at upload start (chunks except the last must be multiples).</summary>
    public int UploadGranularity { get; set; } = 64 * 1024;

    /// <summary>When set, the upload chunk with this index (0-based) breaks off after <see cref="CutAfterBytes"/> bytes, once.</summary>
    public int? CutChunk { get; set; }

    public int CutAfterBytes { get; set; } = 10_000;

    /// <summary>The files currently stored (not deleted).</summary>
    public IReadOnlyCollection<string> StoredFiles => _files.Keys.ToArray();

    public static async Task<FakeGeminiServer> StartAsync()
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var server = new FakeGeminiServer(app, port);
        app.Run(server.DispatchAsync);
        await app.StartAsync();
        return server;
    }

    /// <summary>Queues an answer for the next call of an operation: generateContent, embedContent, batchEmbedContents, files.get, upload, chat.</summary>
    public void Enqueue(string operation, FakeReply reply) => Enqueue(operation, _ => reply);

    /// <summary>Queues an answer computed from the request body.</summary>
    public void Enqueue(string operation, Func<JsonObject, FakeReply> reply) =>
        _scripts.GetOrAdd(operation, _ => new ConcurrentQueue<Func<JsonObject, FakeReply>>()).Enqueue(reply);

    /// <summary>Answers every generateContent call from the request until the queue has entries again.</summary>
    public Func<JsonObject, FakeReply>? DefaultGenerate { get; set; }

    public IEnumerable<RecordedRequest> RequestsTo(string operation) => Requests.Where(r => r.Operation == operation);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task DispatchAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value ?? string.Empty;
        if (request.Query.ContainsKey("key"))
        {
            Violations.Enqueue($"the API key was sent in the query string of {path}");
        }

        try
        {
            if (path.StartsWith("/openai/v1/", StringComparison.Ordinal))
            {
                await ChatAsync(context);
            }
            else if (path == "/upload/v1beta/files" && request.Query.ContainsKey("upload_id"))
            {
                await UploadChunkAsync(context, request.Query["upload_id"].ToString());
            }
            else if (path == "/upload/v1beta/files")
            {
                await StartUploadAsync(context);
            }
            else if (path.StartsWith("/v1beta/files/", StringComparison.Ordinal))
            {
                await FileAsync(context, path["/v1beta/".Length..]);
            }
            else if (path.StartsWith("/v1beta/models/", StringComparison.Ordinal) && path.Contains(':', StringComparison.Ordinal))
            {
                await ModelCallAsync(context, path["/v1beta/models/".Length..]);
            }
            else
            {
                Violations.Enqueue($"unknown endpoint {request.Method} {path}");
                await WriteAsync(context, FakeReply.Error(404, "NOT_FOUND", $"No such endpoint: {path}"));
            }
        }
        catch (ConnectionCut)
        {
            context.Abort();
        }
    }

    private async Task ModelCallAsync(HttpContext context, string modelAndMethod)
    {
        var (model, method) = (modelAndMethod[..modelAndMethod.IndexOf(':', StringComparison.Ordinal)], modelAndMethod[(modelAndMethod.IndexOf(':', StringComparison.Ordinal) + 1)..]);
        var body = await ReadJsonAsync(context);
        Record(context, method, model, body);
        if (!CheckKey(context, method) || !CheckPost(context, method))
        {
            await WriteAsync(context, FakeReply.Error(400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key."));
            return;
        }

        if (!KnownModels.Contains(model))
        {
            await WriteAsync(context, FakeReply.Error(404, "NOT_FOUND", $"models/{model} is not found for API version v1beta, or is not supported for {method}."));
            return;
        }

        if (body is null)
        {
            Violations.Enqueue($"{method}: the body is not a JSON object");
            await WriteAsync(context, FakeReply.Error(400, "INVALID_ARGUMENT", "Invalid JSON payload received."));
            return;
        }

        switch (method)
        {
            case "generateContent":
                await GenerateAsync(context, body);
                break;
            case "embedContent" or "batchEmbedContents":
                await EmbedAsync(context, model, method, body);
                break;
            default:
                Violations.Enqueue($"unknown model method {method}");
                await WriteAsync(context, FakeReply.Error(404, "NOT_FOUND", $"Method {method} not found."));
                break;
        }
    }

    private async Task GenerateAsync(HttpContext context, JsonObject body)
    {
        var problems = new List<string>();
        if (body["contents"] is not JsonArray { Count: > 0 } contents)
        {
            problems.Add("contents is missing or empty");
            contents = [];
        }

        if (body["systemInstruction"]?["parts"]?[0]?["text"]?.GetValue<string>() is not { Length: > 0 })
        {
            problems.Add("systemInstruction.parts[0].text is missing");
        }

        var config = body["generationConfig"];
        if (config?["responseMimeType"]?.GetValue<string>() != "application/json")
        {
            problems.Add("generationConfig.responseMimeType is not application/json");
        }

        if (config?["responseSchema"]?["type"] is null)
        {
            problems.Add("generationConfig.responseSchema is missing");
        }

        foreach (var part in contents.SelectMany(c => c?["parts"] as JsonArray ?? []))
        {
            if (part?["fileData"]?["fileUri"]?.GetValue<string>() is { } uri)
            {
                var name = "files/" + uri.Split('/')[^1];
                if (!_files.TryGetValue(name, out var file) || file.State != "ACTIVE")
                {
                    await WriteAsync(context, FakeReply.Error(400, "FAILED_PRECONDITION", $"The File {name} is not in an ACTIVE state and usage is not allowed."));
                    Violations.Enqueue($"generateContent referenced {name}, which is not ACTIVE");
                    return;
                }
            }
        }

        if (problems.Count > 0)
        {
            Violations.Enqueue("generateContent: " + string.Join("; ", problems));
            await WriteAsync(context, FakeReply.Error(400, "INVALID_ARGUMENT", string.Join("; ", problems)));
            return;
        }

        var reply = Next("generateContent", body) ?? DefaultGenerate?.Invoke(body);
        if (reply is null)
        {
            Violations.Enqueue("generateContent was called more often than the test scripted");
            reply = FakeReply.Error(500, "INTERNAL", "No scripted answer.");
        }

        await WriteAsync(context, reply);
    }

    private async Task EmbedAsync(HttpContext context, string model, string method, JsonObject body)
    {
        if (Next(method, body) is { } scripted)
        {
            await WriteAsync(context, scripted);
            return;
        }

        var requests = method == "embedContent" ? [body] : (body["requests"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        if (method == "batchEmbedContents" && (requests.Count is 0 or > 100))
        {
            Violations.Enqueue($"batchEmbedContents with {requests.Count} requests");
            await WriteAsync(context, FakeReply.Error(400, "INVALID_ARGUMENT", "* BatchEmbedContentsRequest.requests: at most 100 requests are allowed in a batch."));
            return;
        }

        var embeddings = new JsonArray();
        foreach (var item in requests)
        {
            var itemModel = item["model"]?.GetValue<string>();
            if ((method == "batchEmbedContents" || itemModel is not null) && itemModel != "models/" + model)
            {
                Violations.Enqueue($"{method}: request model '{itemModel}' does not match models/{model}");
                await WriteAsync(context, FakeReply.Error(400, "INVALID_ARGUMENT", $"Model '{itemModel}' in the request does not match the URL."));
                return;
            }

            var text = item["content"]?["parts"]?[0]?["text"]?.GetValue<string>();
            if (string.IsNullOrEmpty(text))
            {
                Violations.Enqueue($"{method}: an empty text was sent");
                await WriteAsync(context, FakeReply.Error(400, "INVALID_ARGUMENT", "* EmbedContentRequest.content: contains an empty Part."));
                return;
            }

            embeddings.Add(new JsonObject { ["values"] = new JsonArray(VectorOf(text, item["outputDimensionality"]?.GetValue<int>() ?? 8).Select(v => (JsonNode)v).ToArray()) });
        }

        var answer = method == "embedContent" ? new JsonObject { ["embedding"] = embeddings[0]!.DeepClone() } : new JsonObject { ["embeddings"] = embeddings };
        await WriteAsync(context, new FakeReply(200, answer.ToJsonString()));
    }

    /// <summary>The vector the fake server returns for a text: deterministic, so tests can recompute it.</summary>
    public static float[] VectorOf(string text, int dims)
    {
        var seed = text.Aggregate(17, (h, c) => unchecked((h * 31) + c));
        var random = new Random(seed);
        return Enumerable.Range(0, dims).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
    }

    private FakeReply? Next(string operation, JsonObject body) =>
        _scripts.TryGetValue(operation, out var queue) && queue.TryDequeue(out var script) ? script(body) : null;

    private bool CheckKey(HttpContext context, string operation)
    {
        if (context.Request.Headers["x-goog-api-key"] == ApiKey)
        {
            return true;
        }

        Violations.Enqueue($"{operation}: the x-goog-api-key header is missing or wrong");
        return false;
    }

    private bool CheckPost(HttpContext context, string operation)
    {
        if (context.Request.Method == "POST")
        {
            return true;
        }

        Violations.Enqueue($"{operation} was called with {context.Request.Method}");
        return false;
    }

    private void Record(HttpContext context, string operation, string? model, JsonObject? body, string? uploadOffset = null) =>
        Requests.Enqueue(new RecordedRequest(
            operation,
            context.Request.Method,
            context.Request.Path + context.Request.QueryString,
            model,
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            body,
            uploadOffset));

    private static async Task<JsonObject?> ReadJsonAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var text = await reader.ReadToEndAsync();
        try
        {
            return text.Length == 0 ? null : JsonNode.Parse(text) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static async Task WriteAsync(HttpContext context, FakeReply reply)
    {
        context.Response.StatusCode = reply.Status;
        foreach (var (name, value) in reply.Headers)
        {
            context.Response.Headers[name] = value;
        }

        if (reply.Body.Length > 0)
        {
            context.Response.ContentType = "application/json; charset=UTF-8";
            await context.Response.WriteAsync(reply.Body);
        }
    }

}

/// <summary>A request the fake server received.</summary>
public sealed record RecordedRequest(string Operation, string Method, string PathAndQuery, string? Model, IReadOnlyDictionary<string, string> Headers, JsonObject? Body, string? UploadOffset);
