using MediaWorker.Plugins.Gemini.Api;

namespace MediaWorker.Plugins.Gemini.Media;

/// <summary>A file uploaded to the File API for one job; disposing deletes it from the service.</summary>
internal sealed class UploadedMedia(GeminiClient client, GeminiFile file) : IAsyncDisposable
{
    public GeminiFile File { get; } = file;

    /// <summary>The part that references the file in a prompt.</summary>
    public GeminiPart Part => GeminiPart.FromFile(File);

    /// <summary>Uploads a file and waits until the service has processed it.</summary>
    public static async Task<UploadedMedia> UploadAsync(GeminiClient client, string path, string mimeType, IProgress<double> progress, CancellationToken cancellationToken)
    {
        var file = await client.UploadFileAsync(path, mimeType, Path.GetFileName(path), progress, cancellationToken);
        return new UploadedMedia(client, file);
    }

    public async ValueTask DisposeAsync() => await client.DeleteFileAsync(File.Name);
}
