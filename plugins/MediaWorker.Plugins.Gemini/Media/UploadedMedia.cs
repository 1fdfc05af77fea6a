using MediaWorker.Plugins.Gemini.Api;

namespace MediaWorker.Plugins.Gemini.Media;

/// <summary>A file uploaded to the File API for one job; disposing deletes it from the service.</summary>
internal sealed class UploadedMedia(GeminiClient client, GeminiFile file) : IAsyncDisposable
{
    public GeminiFile File { get; } = file;

    /// <summary>The part that references the file in a prompt.</summary>
    public GeminiPart Part => GeminiPart.FromFile(File);

    public async ValueTask DisposeAsync() => await client.DeleteFileAsync(File.Name);
}
