using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace MediaWorker.Plugins.Gemini.Embeddings;

/// <summary>
/// Writes vectors as JSON (items with their vectors) or as raw little-endian float32 with a small
/// header plus a JSON index of the items. Files are written in the scratch folder and moved into
/// place, so a reader never sees half a file.
/// </summary>
/// <remarks>
/// The float32 layout (all little-endian): bytes 0-7 the ASCII magic <c>MWEMBF32</c>, then uint32
/// version (1), uint32 count, uint32 dims, uint32 reserved (0); 24 bytes in all. Then
/// <c>count × dims</c> float32 values, vector after vector, in item order.
/// </remarks>
internal static class EmbeddingFileWriter
{
    public const string Magic = "MWEMBF32";
    public const int HeaderSize = 24;
    public const int Version = 1;

    /// <summary>The header of a float32 file.</summary>
    public static byte[] Header(int count, int dims)
    {
        var header = new byte[HeaderSize];
        Encoding.ASCII.GetBytes(Magic, header);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(8), Version);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(12), (uint)count);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(16), (uint)dims);
        return header;
    }

    public static async Task WriteJsonAsync(string path, string scratch, EmbeddingMetadata metadata, IReadOnlyList<EmbeddingItem> items, IReadOnlyList<float[]> vectors, CancellationToken cancellationToken)
    {
        await WriteAtomicallyAsync(path, scratch, async stream =>
        {
            await using var json = new Utf8JsonWriter(stream);
            WriteMetadata(json, metadata, items.Count);
            json.WriteStartArray("items");
            for (var i = 0; i < items.Count; i++)
            {
                json.WriteStartObject();
                WriteItem(json, items[i]);
                json.WriteStartArray("vector");
                foreach (var value in vectors[i])
                {
                    json.WriteNumberValue(value);
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
            await json.FlushAsync(cancellationToken);
        }, cancellationToken);
    }

    public static async Task WriteFloat32Async(string path, string indexPath, string scratch, EmbeddingMetadata metadata, IReadOnlyList<EmbeddingItem> items, IReadOnlyList<float[]> vectors, CancellationToken cancellationToken)
    {
        await WriteAtomicallyAsync(path, scratch, async stream =>
        {
            await stream.WriteAsync(Header(items.Count, metadata.Dims), cancellationToken);
            var row = new byte[metadata.Dims * sizeof(float)];
            foreach (var vector in vectors)
            {
                for (var d = 0; d < vector.Length; d++)
                {
                    BinaryPrimitives.WriteSingleLittleEndian(row.AsSpan(d * sizeof(float)), vector[d]);
                }

                await stream.WriteAsync(row, cancellationToken);
            }
        }, cancellationToken);

        await WriteAtomicallyAsync(indexPath, scratch, async stream =>
        {
            await using var json = new Utf8JsonWriter(stream);
            WriteMetadata(json, metadata, items.Count);
            json.WriteString("vectors_file", Path.GetFileName(path));
            json.WriteStartArray("items");
            foreach (var item in items)
            {
                json.WriteStartObject();
                WriteItem(json, item);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
            await json.FlushAsync(cancellationToken);
        }, cancellationToken);
    }

    private static void WriteMetadata(Utf8JsonWriter json, EmbeddingMetadata metadata, int count)
    {
        json.WriteStartObject();
        json.WriteString("model", metadata.Model);
        json.WriteString("task_type", metadata.TaskType);
        json.WriteNumber("dims", metadata.Dims);
        json.WriteNumber("count", count);
    }

    private static void WriteItem(Utf8JsonWriter json, EmbeddingItem item)
    {
        json.WriteNumber("index", item.Index);
        if (item.Start is { } start)
        {
            json.WriteNumber("start", start);
        }

        if (item.End is { } end)
        {
            json.WriteNumber("end", end);
        }

        json.WriteString("text", item.Text);
    }

    private static async Task WriteAtomicallyAsync(string path, string scratch, Func<Stream, Task> write, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(scratch);
        var temporary = Path.Combine(scratch, Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N") + ".part");
        await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
        {
            await write(stream);
            await stream.FlushAsync(cancellationToken);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.Move(temporary, path, overwrite: true);
    }
}

/// <summary>What the embedding files state about their vectors.</summary>
internal sealed record EmbeddingMetadata(string Model, string TaskType, int Dims);
