namespace MediaWorker.Plugins.Gemini.Api;

internal sealed record EmbedContentRequest
{
    /// <summary><c>models/{model}</c>; required inside a batch, accepted alone.</summary>
    public required string Model { get; init; }

    public required GeminiContent Content { get; init; }

    public string? TaskType { get; init; }

    public string? Title { get; init; }

    public int? OutputDimensionality { get; init; }
}

internal sealed record EmbedContentResponse(ContentEmbedding? Embedding);

internal sealed record BatchEmbedContentsRequest(IReadOnlyList<EmbedContentRequest> Requests);

internal sealed record BatchEmbedContentsResponse(IReadOnlyList<ContentEmbedding>? Embeddings);

internal sealed record ContentEmbedding(float[]? Values);
