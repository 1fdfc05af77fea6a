using System.Net.Http.Json;
using System.Text;
using MediaWorker.Plugins.Abstractions;
using Microsoft.Extensions.Logging;

namespace MediaWorker.Plugins.Gemini.Api;

/// <summary>
/// The Gemini v1beta REST calls this plugin makes: generateContent, the File API (upload, status,
/// delete) and embedContent / batchEmbedContents. Failures surface as job exceptions (see
/// <see cref="GeminiErrorMapper"/>); a blocked prompt or answer is permanent and names the reason.
/// </summary>
internal sealed class GeminiClient
{
    /// <summary>The most requests one batchEmbedContents call accepts.</summary>
    public const int MaxBatchEmbedRequests = 100;

    private static readonly HashSet<string> BlockingFinishReasons =
        ["SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY", "LANGUAGE"];

    private readonly RestTransport _transport;
    private readonly GeminiFileUploader _uploader;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly TimeSpan _pollInterval;
    private readonly TimeSpan _processingTimeout;

    public GeminiClient(RestTransport transport, GeminiFileUploader uploader, ILogger logger, TimeProvider time, TimeSpan pollInterval, TimeSpan processingTimeout)
    {
        _transport = transport;
        _uploader = uploader;
        _logger = logger;
        _time = time;
        _pollInterval = pollInterval;
        _processingTimeout = processingTimeout;
    }

    /// <summary>Runs generateContent and returns the first candidate's text.</summary>
    /// <exception cref="PermanentJobException">The request was refused or blocked (the message names the block reason).</exception>
    public async Task<GeneratedText> GenerateContentAsync(string model, GenerateContentRequest body, CancellationToken cancellationToken)
    {
        var name = ModelId(model);
        var operation = $"generateContent ({name})";
        using var response = await _transport.SendAsync(operation, () => new HttpRequestMessage(HttpMethod.Post, $"v1beta/models/{Uri.EscapeDataString(name)}:generateContent")
        {
            Content = JsonContent.Create(body, options: GeminiJson.Options),
        }, cancellationToken);
        var answer = await response.Content.ReadFromJsonAsync<GenerateContentResponse>(GeminiJson.Options, cancellationToken)
            ?? throw new RetryableJobException($"Gemini {operation} returned an empty body.");

        if (answer.PromptFeedback?.BlockReason is { } blockReason)
        {
            throw new PermanentJobException($"Gemini blocked the request: block reason {blockReason}{DescribeRatings(answer.PromptFeedback.SafetyRatings)}. Change the input or the prompt; retrying will not help.");
        }

        var candidate = (answer.Candidates is { Count: > 0 } candidates ? candidates[0] : null)
            ?? throw new RetryableJobException($"Gemini {operation} returned no candidate and no block reason.");
        if (candidate.FinishReason is { } finish && BlockingFinishReasons.Contains(finish))
        {
            throw new PermanentJobException($"Gemini blocked the answer: block reason {finish}{DescribeRatings(candidate.SafetyRatings)}. Change the input or the prompt; retrying will not help.");
        }

        var text = new StringBuilder();
        foreach (var part in candidate.Content?.Parts ?? [])
        {
            text.Append(part.Text);
        }

        return new GeneratedText(text.ToString(), candidate.FinishReason, answer.ModelVersion ?? name, TokenUsage.From(answer.UsageMetadata));
    }

    /// <summary>Uploads a file and waits until the service has processed it (state ACTIVE).</summary>
    /// <param name="path">The local file.</param>
    /// <param name="mimeType">Its MIME type.</param>
    /// <param name="displayName">A name shown in the File API (no path).</param>
    /// <param name="progress">Upload progress from 0 to 1.</param>
    /// <param name="cancellationToken">Stops the upload or the wait.</param>
    /// <returns>The active file; delete it with <see cref="DeleteFileAsync"/> when done.</returns>
    /// <exception cref="PermanentJobException">Processing FAILED (the file is deleted first).</exception>
    /// <exception cref="RetryableJobException">Processing took longer than the configured limit (the file is deleted first).</exception>
    public async Task<GeminiFile> UploadFileAsync(string path, string mimeType, string displayName, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        var file = await _uploader.UploadAsync(path, mimeType, displayName, progress, cancellationToken);
        _logger.LogInformation("Gemini: uploaded {DisplayName} as {FileName} ({State}).", displayName, file.Name, file.State);
        try
        {
            return await WaitUntilActiveAsync(file, displayName, cancellationToken);
        }
        catch
        {
            await DeleteFileAsync(file.Name);
            throw;
        }
    }

    /// <summary>Deletes an uploaded file. Never throws: files expire after 48 hours anyway, so a failed delete is only logged.</summary>
    /// <remarks>Runs without the job's token, so a cancelled job still cleans up, bounded by its own timeout.</remarks>
    public async Task DeleteFileAsync(string name)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            using var response = await _transport.SendAsync($"file delete of {name}", () => new HttpRequestMessage(HttpMethod.Delete, $"v1beta/{FilePath(name)}"), timeout.Token);
            _logger.LogDebug("Gemini: deleted {FileName}.", name);
        }
        catch (Exception ex)
        {
            _logger.LogWarning("Gemini: could not delete {FileName} ({Reason}); the service removes it after 48 hours.", name, ex.Message);
        }
    }

    /// <summary>Embeds texts with embedContent (one) or batchEmbedContents (many, in batches of 100).</summary>
    /// <returns>One vector per text, in order.</returns>
    public async Task<IReadOnlyList<float[]>> EmbedAsync(string model, IReadOnlyList<string> texts, string? taskType, string? title, int? dimensions, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        var name = ModelId(model);
        EmbedContentRequest Request(string text) => new()
        {
            Model = "models/" + name,
            Content = new GeminiContent(null, [GeminiPart.FromText(text)]),
            TaskType = taskType,
            Title = title,
            OutputDimensionality = dimensions,
        };

        var vectors = new List<float[]>(texts.Count);
        if (texts.Count == 1)
        {
            using var response = await _transport.SendAsync($"embedContent ({name})", () => new HttpRequestMessage(HttpMethod.Post, $"v1beta/models/{Uri.EscapeDataString(name)}:embedContent")
            {
                Content = JsonContent.Create(Request(texts[0]), options: GeminiJson.Options),
            }, cancellationToken);
            var single = await response.Content.ReadFromJsonAsync<EmbedContentResponse>(GeminiJson.Options, cancellationToken);
            vectors.Add(single?.Embedding?.Values ?? throw new RetryableJobException($"Gemini embedContent ({name}) returned no embedding."));
            return vectors;
        }

        foreach (var batch in texts.Chunk(MaxBatchEmbedRequests))
        {
            var body = new BatchEmbedContentsRequest(batch.Select(Request).ToArray());
            using var response = await _transport.SendAsync($"batchEmbedContents ({name})", () => new HttpRequestMessage(HttpMethod.Post, $"v1beta/models/{Uri.EscapeDataString(name)}:batchEmbedContents")
            {
                Content = JsonContent.Create(body, options: GeminiJson.Options),
            }, cancellationToken);
            var answer = await response.Content.ReadFromJsonAsync<BatchEmbedContentsResponse>(GeminiJson.Options, cancellationToken);
            var embeddings = answer?.Embeddings ?? [];
            if (embeddings.Count != batch.Length || embeddings.Any(e => e.Values is null))
            {
                throw new RetryableJobException($"Gemini batchEmbedContents ({name}) returned {embeddings.Count} embeddings for {batch.Length} texts.");
            }

            vectors.AddRange(embeddings.Select(e => e.Values!));
            progress?.Report((double)vectors.Count / texts.Count);
        }

        return vectors;
    }

    /// <summary>Accepts a model as <c>gemini-2.5-flash</c> or <c>models/gemini-2.5-flash</c>.</summary>
    internal static string ModelId(string model) => model.StartsWith("models/", StringComparison.Ordinal) ? model["models/".Length..] : model;

    private async Task<GeminiFile> WaitUntilActiveAsync(GeminiFile file, string displayName, CancellationToken cancellationToken)
    {
        var deadline = _time.GetUtcNow() + _processingTimeout;
        while (true)
        {
            switch (file.State)
            {
                case "ACTIVE":
                    return file;
                case "FAILED":
                    throw new PermanentJobException($"Gemini could not process '{displayName}' (file state FAILED): {_transport.Redactor.Redact(file.Error?.Message ?? "no reason given")}. Check that the file is a playable video or audio file.");
            }

            if (_time.GetUtcNow() >= deadline)
            {
                throw new RetryableJobException($"Gemini was still processing '{displayName}' after {_processingTimeout.TotalSeconds:0} s (GEMINI_FILE_PROCESSING_TIMEOUT).");
            }

            await Task.Delay(_pollInterval, _time, cancellationToken);
            using var response = await _transport.SendAsync($"file status of {file.Name}", () => new HttpRequestMessage(HttpMethod.Get, $"v1beta/{FilePath(file.Name)}"), cancellationToken);
            file = await response.Content.ReadFromJsonAsync<GeminiFile>(GeminiJson.Options, cancellationToken)
                ?? throw new RetryableJobException($"Gemini file status of {file.Name} returned an empty body.");
        }
    }

    /// <summary>"files/abc" as a URL path, each segment escaped.</summary>
    private static string FilePath(string name) => string.Join('/', name.Split('/').Select(Uri.EscapeDataString));

    private static string DescribeRatings(IReadOnlyList<GeminiSafetyRating>? ratings)
    {
        var flagged = (ratings ?? []).Where(r => r.Blocked || r.Probability is "HIGH" or "MEDIUM").ToList();
        return flagged.Count == 0
            ? string.Empty
            : " (" + string.Join(", ", flagged.Select(r => $"{r.Category} rated {r.Probability}{(r.Blocked ? ", blocked" : string.Empty)}")) + ")";
    }
}
