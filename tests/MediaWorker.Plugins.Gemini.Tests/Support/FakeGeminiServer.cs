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

namespace MediaWorker.Plugins.Gemini.Tests.Support;

/// <summary>
/// A local stand-in for the Gemini v1beta REST API on a free loopback port. It speaks the same
/// shapes (generateContent, the resumable File API, embedContent/batchEmbedContents) plus an
/// OpenAI-compatible chat endpoint under <c>/openai/v1</c>, answers from scripts, and CHECKS what
/// it receives: paths and models, the key header, responseSchema, upload headers and offsets.
/// Every protocol mistake the client makes is answered like the real service would (mostly 400)
/// and recorded in <see cref="Violations"/>, which tests assert to be empty.
/// </summary>
public sealed class FakeGeminiServer : IAsyncDisposable
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

    private async Task StartUploadAsync(HttpContext context)
    {
        var request = context.Request;
        var body = await ReadJsonAsync(context);
        Record(context, "upload.start", null, body);
        var problems = new List<string>();
        if (!CheckKey(context, "upload.start"))
        {
            await WriteAsync(context, FakeReply.Error(400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key."));
            return;
        }

        if (request.Headers["X-Goog-Upload-Protocol"] != "resumable")
        {
            problems.Add("X-Goog-Upload-Protocol is not 'resumable'");
        }

        if (request.Headers["X-Goog-Upload-Command"] != "start")
        {
            problems.Add("X-Goog-Upload-Command is not 'start'");
        }

        if (!long.TryParse(request.Headers["X-Goog-Upload-Header-Content-Length"], NumberStyles.None, CultureInfo.InvariantCulture, out var length))
        {
            problems.Add("X-Goog-Upload-Header-Content-Length is missing");
        }

        var mime = request.Headers["X-Goog-Upload-Header-Content-Type"].ToString();
        if (mime.Length == 0)
        {
            problems.Add("X-Goog-Upload-Header-Content-Type is missing");
        }

        var displayName = body?["file"]?["displayName"]?.GetValue<string>() ?? body?["file"]?["display_name"]?.GetValue<string>();
        if (displayName is null)
        {
            problems.Add("the body has no file.displayName");
        }

        if (problems.Count > 0)
        {
            Violations.Enqueue("upload start: " + string.Join("; ", problems));
            await WriteAsync(context, FakeReply.Error(400, "INVALID_ARGUMENT", string.Join("; ", problems)));
            return;
        }

        if (Next("upload", body!) is { } scripted)
        {
            await WriteAsync(context, scripted);
            return;
        }

        var id = $"fake{Interlocked.Increment(ref _nextId)}";
        _sessions[id] = new UploadSession(id, length, mime, displayName!);
        await WriteAsync(context, new FakeReply(200, string.Empty)
        {
            Headers =
            {
                ["X-Goog-Upload-URL"] = new Uri(BaseUrl, $"upload/v1beta/files?upload_id={id}&upload_protocol=resumable").ToString(),
                ["X-Goog-Upload-Status"] = "active",
                ["X-Goog-Upload-Chunk-Granularity"] = UploadGranularity.ToString(CultureInfo.InvariantCulture),
            },
        });
    }

    private async Task UploadChunkAsync(HttpContext context, string id)
    {
        var request = context.Request;
        var command = request.Headers["X-Goog-Upload-Command"].ToString();
        if (!_sessions.TryGetValue(id, out var session))
        {
            Record(context, "upload." + command, null, null);
            Violations.Enqueue($"upload to unknown session {id}");
            await WriteAsync(context, FakeReply.Error(404, "NOT_FOUND", "No such upload session."));
            return;
        }

        if (command == "query")
        {
            Record(context, "upload.query", null, null);
            await WriteAsync(context, new FakeReply(200, session.File is null ? string.Empty : Describe(session.File).ToJsonString())
            {
                Headers =
                {
                    ["X-Goog-Upload-Status"] = session.File is null ? "active" : "final",
                    ["X-Goog-Upload-Size-Received"] = session.Received.ToString(CultureInfo.InvariantCulture),
                },
            });
            return;
        }

        var finalize = command == "upload, finalize";
        if (!finalize && command != "upload")
        {
            Record(context, "upload." + command, null, null);
            Violations.Enqueue($"unknown upload command '{command}'");
            await WriteAsync(context, FakeReply.Error(400, "INVALID_ARGUMENT", $"Unknown X-Goog-Upload-Command '{command}'."));
            return;
        }

        var offsetHeader = request.Headers["X-Goog-Upload-Offset"].ToString();
        var chunkIndex = session.Chunks++;
        Record(context, finalize ? "upload.finalize" : "upload.chunk", null, null, offsetHeader);
        if (!long.TryParse(offsetHeader, NumberStyles.None, CultureInfo.InvariantCulture, out var offset) || offset != session.Received)
        {
            Violations.Enqueue($"upload chunk at offset '{offsetHeader}' while the server has {session.Received} bytes");
            await WriteAsync(context, FakeReply.Error(400, "INVALID_ARGUMENT", $"Invalid upload offset {offsetHeader}; expected {session.Received}."));
            return;
        }

        if (CutChunk == chunkIndex)
        {
            CutChunk = null;
            session.Received += await ReadBytesAsync(request.Body, CutAfterBytes);
            throw new ConnectionCut();
        }

        var received = await ReadBytesAsync(request.Body, long.MaxValue);
        if (request.ContentLength is { } declared && declared != received)
        {
            Violations.Enqueue($"upload chunk declared {declared} bytes and carried {received}");
        }

        if (!finalize && received % UploadGranularity != 0)
        {
            Violations.Enqueue($"a non-final upload chunk of {received} bytes is not a multiple of the granularity {UploadGranularity}");
        }

        session.Received += received;
        if (!finalize)
        {
            await WriteAsync(context, new FakeReply(200, string.Empty) { Headers = { ["X-Goog-Upload-Status"] = "active" } });
            return;
        }

        if (session.Received != session.Length)
        {
            Violations.Enqueue($"upload finalized with {session.Received} bytes of the declared {session.Length}");
            await WriteAsync(context, FakeReply.Error(400, "INVALID_ARGUMENT", "Upload size does not match the declared length."));
            return;
        }

        var file = new FakeFile($"files/{id}", session.DisplayName, session.Mime, session.Length)
        {
            State = ProcessingPolls > 0 ? "PROCESSING" : FailProcessing ? "FAILED" : "ACTIVE",
            PollsLeft = ProcessingPolls,
        };
        _files[file.Name] = file;
        session.File = file;
        await WriteAsync(context, new FakeReply(200, Describe(file).ToJsonString()) { Headers = { ["X-Goog-Upload-Status"] = "final" } });
    }

    private async Task FileAsync(HttpContext context, string name)
    {
        Record(context, context.Request.Method == "DELETE" ? "files.delete" : "files.get", null, null);
        if (!CheckKey(context, "files"))
        {
            await WriteAsync(context, FakeReply.Error(400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key."));
            return;
        }

        if (!_files.TryGetValue(name, out var file))
        {
            await WriteAsync(context, FakeReply.Error(403, "PERMISSION_DENIED", $"You do not have permission to access the File {name} or it may not exist."));
            return;
        }

        if (context.Request.Method == "DELETE")
        {
            _files.TryRemove(name, out _);
            DeletedFiles.Add(name);
            await WriteAsync(context, new FakeReply(200, "{}"));
            return;
        }

        if (Next("files.get", []) is { } scripted)
        {
            await WriteAsync(context, scripted);
            return;
        }

        if (file.State == "PROCESSING" && --file.PollsLeft <= 0)
        {
            file.State = FailProcessing ? "FAILED" : "ACTIVE";
        }

        await WriteAsync(context, new FakeReply(200, Describe(file)["file"]!.ToJsonString()));
    }

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

    private JsonObject Describe(FakeFile file)
    {
        var json = new JsonObject
        {
            ["name"] = file.Name,
            ["displayName"] = file.DisplayName,
            ["mimeType"] = file.Mime,
            ["sizeBytes"] = file.Size.ToString(CultureInfo.InvariantCulture),
            ["uri"] = new Uri(BaseUrl, "v1beta/" + file.Name).ToString(),
            ["state"] = file.State,
        };
        if (file.State == "FAILED")
        {
            json["error"] = new JsonObject { ["code"] = 3, ["message"] = "The video could not be decoded." };
        }

        return new JsonObject { ["file"] = json };
    }

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

    private static async Task<long> ReadBytesAsync(Stream body, long limit)
    {
        var buffer = new byte[8192];
        long total = 0;
        while (total < limit)
        {
            var read = await body.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, limit - total)));
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total;
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

    private sealed class ConnectionCut : Exception;

    private sealed class UploadSession(string id, long length, string mime, string displayName)
    {
        public string Id { get; } = id;
        public long Length { get; } = length;
        public string Mime { get; } = mime;
        public string DisplayName { get; } = displayName;
        public long Received { get; set; }
        public int Chunks { get; set; }
        public FakeFile? File { get; set; }
    }

    private sealed class FakeFile(string name, string displayName, string mime, long size)
    {
        public string Name { get; } = name;
        public string DisplayName { get; } = displayName;
        public string Mime { get; } = mime;
        public long Size { get; } = size;
        public string State { get; set; } = "ACTIVE";
        public int PollsLeft { get; set; }
    }
}

/// <summary>A request the fake server received.</summary>
public sealed record RecordedRequest(string Operation, string Method, string PathAndQuery, string? Model, IReadOnlyDictionary<string, string> Headers, JsonObject? Body, string? UploadOffset);
