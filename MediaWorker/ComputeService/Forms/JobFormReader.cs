using System.Text;
using MediaWorker.ComputeService.Responses;
using MediaWorker.ComputeService.Uploads;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace MediaWorker.ComputeService.Forms;

/// <summary>
/// Reads a job form: <c>multipart/form-data</c> (the upload is streamed straight into the job's
/// <c>input/</c> folder, never buffered whole) or <c>application/x-www-form-urlencoded</c> (no
/// upload: hls_streaming by path). Fields are bounded in number and size.
/// </summary>
public static class JobFormReader
{
    public const string FileField = "file";
    private const int MaxFields = 64;
    private const int MaxFieldBytes = 64 * 1024;

    public static async Task<SubmittedForm> ReadAsync(HttpRequest request, JobFolder folder, long uploadLimitBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.HasFormContentType && !IsMultipart(request))
        {
            var form = await request.ReadFormAsync(cancellationToken);
            return new SubmittedForm(form.ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal), null);
        }

        if (!IsMultipart(request) || HeaderUtilities.RemoveQuotes(MediaTypeHeaderValue.Parse(request.ContentType).Boundary).Value is not { Length: > 0 } boundary)
        {
            throw FieldErrors.One(FileField, "Send the job as multipart/form-data (or application/x-www-form-urlencoded without a file).", "model_attributes_type", request.ContentType);
        }

        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        StoredUpload? upload = null;
        var reader = new MultipartReader(boundary, request.Body);
        MultipartSection? section;
        while ((section = await NextSectionAsync(reader, fields.Count == 0 && upload is null, cancellationToken)) is not null)
        {
            // IsFormDisposition() means a text field only; a file part is form-data with a file name.
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase)
                || HeaderUtilities.RemoveQuotes(disposition.Name).Value is not { Length: > 0 } name)
            {
                continue; // not a form field: skip it as FastAPI does
            }

            if (disposition.IsFileDisposition())
            {
                if (name != FileField || upload is not null)
                {
                    throw Field(name, "Only one upload, in the field 'file', is taken.");
                }

                var clientName = disposition.FileNameStar.HasValue ? disposition.FileNameStar.Value! : HeaderUtilities.RemoveQuotes(disposition.FileName).Value ?? string.Empty;
                if (clientName.Length == 0)
                {
                    throw Field(FileField, "The upload has no file name.");
                }

                var (relative, bytes) = await folder.SaveUploadAsync(section.Body, UploadName.Sanitise(clientName), uploadLimitBytes, cancellationToken);
                upload = new StoredUpload(relative, clientName, bytes);
                continue;
            }

            if (fields.Count >= MaxFields)
            {
                throw Field(name, $"Too many form fields (more than {MaxFields}).");
            }

            var value = await ReadFieldAsync(section.Body, name, cancellationToken);
            fields.TryAdd(name, value);
        }

        return new SubmittedForm(fields, upload);
    }

    /// <summary>A multipart body with no part at all (some clients send one for an empty form) reads as an empty form.</summary>
    private static async Task<MultipartSection?> NextSectionAsync(MultipartReader reader, bool first, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.ReadNextSectionAsync(cancellationToken);
        }
        catch (IOException) when (first && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    private static bool IsMultipart(HttpRequest request) =>
        request.ContentType?.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase) == true;

    private static async Task<string> ReadFieldAsync(Stream body, string name, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxFieldBytes + 1];
        var length = 0;
        int read;
        while (length <= MaxFieldBytes && (read = await body.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
        {
            length += read;
        }

        if (length > MaxFieldBytes)
        {
            throw Field(name, $"The field is longer than {MaxFieldBytes / 1024} KiB.");
        }

        return Encoding.UTF8.GetString(buffer, 0, length);
    }

    private static ApiException Field(string name, string message) => FieldErrors.One(name, message);
}
