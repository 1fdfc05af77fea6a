using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using MediaWorker.Plugins.Abstractions;
using NUnit.Framework;
using static MediaWorker.Plugins.Image.Tests.ImageTestEnvironment;

namespace MediaWorker.Plugins.Image.Tests.Tasks;

/// <summary>Every bad input of issue 4 fails permanently, with a message that says what to fix, and writes nothing.</summary>
public sealed class BadInputTests
{
    private static readonly string[] ImageTasks = ["image_resize", "image_conversion", "media_thumbnail", "exif"];

    [TestCaseSource(nameof(ImageTasks))]
    public void MissingFile_IsPermanent(string task) =>
        AssertRefused(task, Path.Combine(Images.Folder, "no-such-file.jpg"), "does not exist");

    [TestCaseSource(nameof(ImageTasks))]
    public void ZeroByteFile_IsPermanent(string task) =>
        AssertRefused(task, Images.Write("zero.jpg", []), "is empty (0 bytes)");

    [TestCaseSource(nameof(ImageTasks))]
    public void TruncatedJpeg_IsPermanent(string task)
    {
        var truncated = File.ReadAllBytes(Images.Landscape)[..20_000];
        AssertRefused(task, Images.Write("truncated.jpg", truncated), "damaged or truncated", exceptFor: "exif");
    }

    [TestCaseSource(nameof(ImageTasks))]
    public void TextRenamedJpg_IsPermanent(string task) =>
        AssertRefused(task, Images.Write("notes.jpg", Encoding.UTF8.GetBytes("Shopping list: eggs, milk, bread.\n")), "plain text");

    [TestCaseSource(nameof(ImageTasks))]
    public void Svg_IsPermanent(string task) =>
        AssertRefused(task, Images.Write("drawing.svg", Encoding.UTF8.GetBytes("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"/>")), "SVG");

    [TestCaseSource(nameof(ImageTasks))]
    public void PostScript_IsPermanent(string task) =>
        AssertRefused(task, Images.Write("page.ps", Encoding.ASCII.GetBytes("%!PS-Adobe-3.0\n/Times findfont 12 scalefont setfont\nshowpage\n")), "PostScript");

    [TestCaseSource(nameof(ImageTasks))]
    public void PngDeclaring50000x50000_IsRefusedBeforeDecoding(string task) =>
        AssertRefused(task, Images.Write("bomb.png", PngBomb(50_000, 50_000)), "50000x50000 pixels", "decompression bomb");

    [Test]
    public void UnsupportedOutputFormat_IsPermanent() =>
        AssertFails("image_conversion", new JsonObject { ["input_path"] = Images.Landscape, ["format"] = "xcf" }, "must be one of");

    [Test]
    public void OutputExtensionContradictingFormat_IsPermanent() =>
        AssertFails("image_conversion", new JsonObject { ["input_path"] = Images.Landscape, ["format"] = "png", ["output_path"] = "x.jpg" }, "make them agree");

    [TestCase(0)]
    [TestCase(-5)]
    public void ZeroOrNegativeDimensions_ArePermanent(int size)
    {
        AssertFails("image_resize", new JsonObject { ["input_path"] = Images.Landscape, ["width"] = size }, "'width' must be a whole number from 1");
        AssertFails("media_thumbnail", new JsonObject { ["input_path"] = Images.Landscape, ["height"] = size }, "'height' must be a whole number from 1");
    }

    [Test]
    [NonParallelizable] // ImageMagick's limits are process-wide: no other test may decode meanwhile.
    public void MoreFramesThanAllowed_IsPermanent()
    {
        try
        {
            var handlers = CreateHandlers(new Dictionary<string, string?> { ["IMAGE_MAX_FRAMES"] = "2" });
            var context = new MediaWorker.Testing.TestJobContext(Root, "image_resize", new JsonObject { ["input_path"] = Images.AnimatedGif, ["width"] = 50 });

            var ex = Assert.ThrowsAsync<PermanentJobException>(() => MediaWorker.Testing.TestJobContext.RunAsync(handlers["image_resize"], context));
            Assert.That(ex!.Message, Does.Contain("has 3 frames, more than IMAGE_MAX_FRAMES=2"));
        }
        finally
        {
            CreateHandlers(); // the defaults again
        }
    }

    [Test]
    public void UpscaleBeyondTheLimits_IsPermanent() =>
        AssertFails("image_resize", new JsonObject { ["input_path"] = Images.Landscape, ["width"] = 60000, ["upscale"] = true }, "The result would be 60000x45000 pixels");

    [Test]
    public void ResizeWithoutAnyDimension_IsPermanent() =>
        AssertFails("image_resize", new JsonObject { ["input_path"] = Images.Landscape }, "Give 'width', 'height' or both");

    [Test]
    public void UnknownParameter_IsPermanent() =>
        AssertFails("image_resize", new JsonObject { ["input_path"] = Images.Landscape, ["widht"] = 10 }, "Unknown parameter(s) 'widht'");

    [TestCase("image_resize")]
    [TestCase("hash")]
    public void InputOutsideTheSandbox_IsPermanent(string task) =>
        AssertFails(task, new JsonObject { ["input_path"] = "/etc/hostname", ["width"] = 10 }.WithoutWidthFor(task), "outside the allowed roots");

    [Test]
    public void OutputOutsideTheSandbox_IsPermanent() =>
        AssertFails("image_conversion", new JsonObject { ["input_path"] = Images.Landscape, ["format"] = "png", ["output_path"] = "/tmp/escape.png" }, "outside the allowed roots");

    internal static byte[] PngBomb(int width, int height)
    {
        // A valid PNG header declaring a huge size, with a tiny deflate stream: decoding it would need ~15 GB.
        var ihdr = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(ihdr, (uint)width);
        BinaryPrimitives.WriteUInt32BigEndian(ihdr.AsSpan(4), (uint)height);
        ihdr[8] = 8;
        ihdr[9] = 2;
        using var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            z.Write(new byte[(1 + (width * 3)) * 4]);
        }

        return [.. (byte[])[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A], .. Chunk("IHDR", ihdr), .. Chunk("IDAT", compressed.ToArray()), .. Chunk("IEND", [])];
    }

    private static byte[] Chunk(string type, byte[] data)
    {
        var typed = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        var length = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(length, (uint)data.Length);
        var crc = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Support.Crc32.Compute(typed));
        return [.. length, .. typed, .. crc];
    }

    private static void AssertRefused(string task, string path, params string[] expected) => AssertRefused(task, path, expected, exceptFor: null);

    private static void AssertRefused(string task, string path, string expected, string? exceptFor) => AssertRefused(task, path, [expected], exceptFor);

    private static void AssertRefused(string task, string path, string[] expected, string? exceptFor)
    {
        if (task == exceptFor)
        {
            // exif reads headers only: a file truncated inside its pixel data still has intact metadata.
            Assert.DoesNotThrowAsync(() => RunAsync(task, Parameters(task, path)));
            return;
        }

        AssertFails(task, Parameters(task, path), expected);
    }

    internal static void AssertFails(string task, JsonObject parameters, params string[] expected)
    {
        var context = new MediaWorker.Testing.TestJobContext(Root, task, parameters);
        var ex = Assert.ThrowsAsync<PermanentJobException>(() => MediaWorker.Testing.TestJobContext.RunAsync(Handler(task), context));
        TestContext.Out.WriteLine($"{task}: {ex!.Message}");
        foreach (var text in expected)
        {
            Assert.That(ex!.Message, Does.Contain(text));
        }

        var output = Path.Combine(Root, "compute", "jobs", context.JobId, "output");
        Assert.That(!Directory.Exists(output) || !Directory.EnumerateFileSystemEntries(output).Any(), Is.True, "a failed job leaves no output");
    }

    private static JsonObject Parameters(string task, string path) => task switch
    {
        "image_resize" => new JsonObject { ["input_path"] = path, ["width"] = 100 },
        "image_conversion" => new JsonObject { ["input_path"] = path, ["format"] = "png" },
        _ => new JsonObject { ["input_path"] = path },
    };
}

internal static class ParameterExtensions
{
    public static JsonObject WithoutWidthFor(this JsonObject parameters, string task)
    {
        if (task != "image_resize")
        {
            parameters.Remove("width");
        }

        return parameters;
    }
}
