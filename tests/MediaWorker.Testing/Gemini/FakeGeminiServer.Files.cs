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

/// <summary>The File API half of the fake: resumable uploads (with scripted cuts), file states and deletion.</summary>
public sealed partial class FakeGeminiServer
{
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
