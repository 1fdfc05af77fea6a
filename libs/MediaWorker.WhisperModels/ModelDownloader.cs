using System.Globalization;
using System.Net;
using System.Net.Http.Headers;

namespace MediaWorker.WhisperModels;

/// <summary>
/// Pulls <c>$base/ggml-NAME.bin</c> into a <see cref="ModelStore"/>: into <c>ggml-NAME.bin.partial</c>
/// first, resumed with an HTTP Range request after a dropped connection (in this run, or in the
/// next one), then checked (SHA-1 when one is known, structure always) and only then renamed to
/// its final name. A file that fails a check is removed, so a model in the store is always whole.
/// </summary>
public sealed class ModelDownloader(HttpClient http)
{
    /// <summary>Where whisper.cpp publishes its ggml models (WHISPER_MODEL_BASE_URL's default).</summary>
    public const string DefaultBaseUrl = "https://huggingface.co/ggerganov/whisper.cpp/resolve/main";

    /// <summary>The setting that names another base URL (a mirror, a LAN server).</summary>
    public const string BaseUrlSetting = "WHISPER_MODEL_BASE_URL";

    private const int MaxResumes = 5;
    private const string PartialSuffix = ".partial";
    private static readonly TimeSpan StallTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The URL a model is fetched from.</summary>
    public static Uri UrlOf(string baseUrl, KnownModel model) => new($"{baseUrl.TrimEnd('/')}/{model.FileName}");

    /// <summary>The file an unfinished pull of <paramref name="finalPath"/> is written to.</summary>
    public static string PartialPathOf(string finalPath) => finalPath + PartialSuffix;

    /// <summary>Downloads, checks and files the model.</summary>
    /// <param name="baseUrl">WHISPER_MODEL_BASE_URL or <see cref="DefaultBaseUrl"/>.</param>
    /// <param name="model">The model to pull.</param>
    /// <param name="expectedSha1">The SHA-1 to require: the catalogue's, or one the user gave; <see langword="null"/> to only print it.</param>
    /// <param name="store">Where it goes.</param>
    /// <param name="progress">Receives the bytes so far.</param>
    /// <param name="cancellationToken">Stops the download; the part stays for the next pull to resume.</param>
    /// <exception cref="ModelDownloadException">The server refused it, the checksum differs, or the file is not a whole ggml model.</exception>
    public async Task<PulledModel> PullAsync(
        string baseUrl, KnownModel model, string? expectedSha1, ModelStore store, IProgress<DownloadProgress> progress, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(store.Directory);
        var finalPath = store.PathOf(model.Name);
        var partialPath = PartialPathOf(finalPath);
        var url = UrlOf(baseUrl, model);

        await DownloadAsync(url, partialPath, progress, cancellationToken);

        var sha1 = await FileSha1.OfAsync(partialPath, cancellationToken);
        if (expectedSha1 is not null && !string.Equals(sha1, expectedSha1, StringComparison.OrdinalIgnoreCase))
        {
            File.Delete(partialPath);
            throw new ModelDownloadException(
                $"{url} has SHA-1 {sha1}, but {model.FileName} should have {expectedSha1.ToLowerInvariant()}: the file was refused and removed. Check {BaseUrlSetting} (is it a mirror of whisper.cpp's models?) and pull again.");
        }

        ModelFileInfo info;
        try
        {
            info = ModelFileCheck.Check(partialPath, url.ToString());
        }
        catch (ModelFileException ex)
        {
            File.Delete(partialPath);
            throw new ModelDownloadException($"{ex.Message} The download was removed.", ex);
        }

        File.Move(partialPath, finalPath, overwrite: true);
        return new PulledModel(finalPath, sha1, expectedSha1 is not null, new FileInfo(finalPath).Length, info);
    }

    private async Task DownloadAsync(Uri url, string partialPath, IProgress<DownloadProgress> progress, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var before = File.Exists(partialPath) ? new FileInfo(partialPath).Length : 0;
            try
            {
                if (await TryDownloadOnceAsync(url, partialPath, before, progress, cancellationToken))
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or TimeoutException && !cancellationToken.IsCancellationRequested)
            {
                var now = File.Exists(partialPath) ? new FileInfo(partialPath).Length : 0;
                // Resume at once while the server keeps sending; give up when an attempt brought nothing.
                if (now == before || attempt + 1 >= MaxResumes)
                {
                    throw new ModelDownloadException(
                        $"Downloading {url} failed after {now.ToString(CultureInfo.InvariantCulture)} bytes: {ex.Message}. Run the same pull again to resume it.", ex);
                }
            }
        }
    }

    /// <returns>True when the file is complete; false when it must start over (the part was stale).</returns>
    private async Task<bool> TryDownloadOnceAsync(Uri url, string partialPath, long offset, IProgress<DownloadProgress> progress, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (offset > 0)
        {
            request.Headers.Range = new RangeHeaderValue(offset, null);
        }

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            // The part is as long as the file or longer (the file changed): start again.
            File.Delete(partialPath);
            return false;
        }

        if (!response.IsSuccessStatusCode)
        {
            var hint = response.StatusCode == HttpStatusCode.NotFound
                ? $" The server has no such file: check the model name (`mediaworker models list`) and {BaseUrlSetting}."
                : string.Empty;
            throw new ModelDownloadException($"{url} answered {(int)response.StatusCode} {response.ReasonPhrase}.{hint}");
        }

        var resumed = response.StatusCode == HttpStatusCode.PartialContent && response.Content.Headers.ContentRange?.From == offset;
        var start = resumed ? offset : 0; // a 200 is the whole file again
        long? total = response.Content.Headers.ContentLength is { } length ? start + length : null;

        await using var file = new FileStream(partialPath, resumed ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1 << 16, useAsync: true);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[1 << 16];
        var received = start;
        progress.Report(new DownloadProgress(received, total, start));
        using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        while (true)
        {
            stall.CancelAfter(StallTimeout);
            int read;
            try
            {
                read = await body.ReadAsync(buffer, stall.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"no data for {StallTimeout.TotalSeconds:0} s");
            }

            if (read == 0)
            {
                break;
            }

            await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            received += read;
            progress.Report(new DownloadProgress(received, total, start));
        }

        if (total is { } expected && received < expected)
        {
            throw new IOException($"the connection closed at byte {received.ToString(CultureInfo.InvariantCulture)} of {expected.ToString(CultureInfo.InvariantCulture)}");
        }

        return true;
    }
}
