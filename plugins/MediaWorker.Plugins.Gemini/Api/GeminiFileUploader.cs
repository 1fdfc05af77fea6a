using System.Buffers;
using System.Globalization;
using System.Net.Http.Json;
using MediaWorker.Plugins.Abstractions;
using Microsoft.Extensions.Logging;

namespace MediaWorker.Plugins.Gemini.Api;

/// <summary>
/// The File API's resumable upload: a <c>start</c> request that opens an upload session, then the
/// bytes in chunks (<c>upload</c>, the last one <c>upload, finalize</c>) each at its
/// <c>X-Goog-Upload-Offset</c>. When a connection breaks mid-chunk the session is asked how much
/// arrived (<c>query</c>) and the upload resumes from there instead of starting over.
/// </summary>
internal sealed class GeminiFileUploader
{
    /// <summary>The chunk size when the server states no granularity (the API's own samples use 8 MiB).</summary>
    public const int DefaultChunkSize = 8 * 1024 * 1024;

    private readonly RestTransport _transport;
    private readonly ILogger _logger;
    private readonly int _chunkSize;

    public GeminiFileUploader(RestTransport transport, ILogger logger, int chunkSize = DefaultChunkSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkSize, 1);
        _transport = transport;
        _logger = logger;
        _chunkSize = chunkSize;
    }

    /// <summary>Uploads a local file and returns the File API resource (usually still PROCESSING).</summary>
    public async Task<GeminiFile> UploadAsync(string path, string mimeType, string displayName, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        await using var source = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.Asynchronous);
        var length = source.Length;
        var (sessionUrl, granularity) = await StartAsync(length, mimeType, displayName, cancellationToken);
        var chunkSize = granularity is > 0 ? Math.Max(granularity.Value, _chunkSize / granularity.Value * granularity.Value) : _chunkSize;

        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(chunkSize, Math.Max(length, 1)));
        try
        {
            long offset = 0;
            var resumes = 0;
            while (true)
            {
                var count = (int)Math.Min(chunkSize, length - offset);
                var last = offset + count == length;
                source.Position = offset;
                await source.ReadExactlyAsync(buffer.AsMemory(0, count), cancellationToken);
                try
                {
                    var file = await SendChunkAsync(sessionUrl, buffer, count, offset, last, cancellationToken);
                    if (file is not null)
                    {
                        progress?.Report(1);
                        return file;
                    }

                    offset += count;
                    progress?.Report(length == 0 ? 1 : (double)offset / length);
                }
                catch (Exception ex) when (RestTransport.IsTransportFault(ex, cancellationToken))
                {
                    if (++resumes > _transport.MaxInCallRetries + 1)
                    {
                        throw _transport.Unreachable($"file upload of '{displayName}' (cut {resumes} times)", ex, cancellationToken);
                    }

                    var (received, finished) = await QueryAsync(sessionUrl, displayName, cancellationToken);
                    if (finished is not null)
                    {
                        return finished;
                    }

                    _logger.LogWarning("Gemini: upload of {File} broke off at byte {Offset} of {Length} ({Reason}); the server has {Received} bytes, resuming from there.", displayName, offset, length, ex.Message, received);
                    if (received < 0 || received > length)
                    {
                        throw new RetryableJobException($"Gemini file upload of '{displayName}': the server reported {received} bytes received of {length}; the upload starts over on the next attempt.");
                    }

                    offset = received;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task<(Uri SessionUrl, int? Granularity)> StartAsync(long length, string mimeType, string displayName, CancellationToken cancellationToken)
    {
        using var response = await _transport.SendAsync($"file upload start of '{displayName}'", () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "upload/v1beta/files")
            {
                Content = JsonContent.Create(new StartUploadRequest(new StartUploadFile(displayName)), options: GeminiJson.Options),
            };
            request.Headers.Add("X-Goog-Upload-Protocol", "resumable");
            request.Headers.Add("X-Goog-Upload-Command", "start");
            request.Headers.Add("X-Goog-Upload-Header-Content-Length", length.ToString(CultureInfo.InvariantCulture));
            request.Headers.Add("X-Goog-Upload-Header-Content-Type", mimeType);
            return request;
        }, cancellationToken);

        var url = Header(response, "X-Goog-Upload-URL");
        if (url is null || !Uri.TryCreate(url, UriKind.Absolute, out var sessionUrl))
        {
            throw new RetryableJobException($"Gemini file upload start of '{displayName}' returned no X-Goog-Upload-URL header.");
        }

        var granularity = int.TryParse(Header(response, "X-Goog-Upload-Chunk-Granularity"), NumberStyles.None, CultureInfo.InvariantCulture, out var g) ? g : (int?)null;
        return (sessionUrl, granularity);
    }

    /// <summary>Sends one chunk; returns the file when the chunk finalized the upload.</summary>
    private async Task<GeminiFile?> SendChunkAsync(Uri sessionUrl, byte[] buffer, int count, long offset, bool last, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, sessionUrl) { Content = new ByteArrayContent(buffer, 0, count) };
        request.Headers.Add("X-Goog-Upload-Command", last ? "upload, finalize" : "upload");
        request.Headers.Add("X-Goog-Upload-Offset", offset.ToString(CultureInfo.InvariantCulture));
        using var response = await _transport.SendOnceAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw await _transport.ToJobExceptionAsync($"file upload at byte {offset}", response, cancellationToken);
        }

        return last ? await ReadFileAsync(response, cancellationToken) : null;
    }

    private async Task<(long Received, GeminiFile? Finished)> QueryAsync(Uri sessionUrl, string displayName, CancellationToken cancellationToken)
    {
        using var response = await _transport.SendAsync($"file upload status of '{displayName}'", () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, sessionUrl) { Content = new ByteArrayContent([]) };
            request.Headers.Add("X-Goog-Upload-Command", "query");
            return request;
        }, cancellationToken);

        if (string.Equals(Header(response, "X-Goog-Upload-Status"), "final", StringComparison.OrdinalIgnoreCase))
        {
            return (-1, await ReadFileAsync(response, cancellationToken));
        }

        return long.TryParse(Header(response, "X-Goog-Upload-Size-Received"), NumberStyles.None, CultureInfo.InvariantCulture, out var received)
            ? (received, null)
            : throw new RetryableJobException($"Gemini file upload status of '{displayName}' carried no X-Goog-Upload-Size-Received header.");
    }

    private static async Task<GeminiFile> ReadFileAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadFromJsonAsync<UploadedFileResponse>(GeminiJson.Options, cancellationToken);
        return body?.File ?? throw new RetryableJobException("Gemini finalized an upload without describing the file.");
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
