namespace MediaWorker.Plugins.Gemini.Embeddings;

/// <summary>One embedded text: a whole document, or one transcript segment with its times.</summary>
internal sealed record EmbeddingItem(int Index, string Text, double? Start, double? End);
