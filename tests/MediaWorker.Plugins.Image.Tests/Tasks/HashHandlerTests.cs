using System.Numerics;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using MediaWorker.Plugins.Image.Tests.Support;
using NUnit.Framework;
using static MediaWorker.Plugins.Image.Tests.ImageTestEnvironment;

namespace MediaWorker.Plugins.Image.Tests.Tasks;

public sealed class HashHandlerTests
{
    [TestCase("sha256")]
    [TestCase("sha512")]
    [TestCase("md5")]
    public async Task Hash_OfAnyFile_MatchesTheAlgorithm(string algorithm)
    {
        var content = new byte[3_000_000];
        new Random(5).NextBytes(content);
        var path = Images.Write($"blob-{algorithm}.bin", content);

        var output = await RunAsync("hash", new JsonObject { ["input_path"] = path, ["algorithm"] = algorithm });

        var expected = algorithm switch
        {
            "sha256" => SHA256.HashData(content),
            "sha512" => SHA512.HashData(content),
#pragma warning disable CA5351 // The task offers MD5 to match existing checksums; the test checks it.
            _ => MD5.HashData(content),
#pragma warning restore CA5351
        };
        Assert.That((string)output["hash"]!, Is.EqualTo(Convert.ToHexStringLower(expected)));
        Assert.That((long)output["bytes"]!, Is.EqualTo(content.Length));
        Assert.That(output["perceptual_hash"], Is.Null, "random bytes are not an image");
    }

    [Test]
    public async Task Hash_OfAnEmptyFile_IsTheEmptyDigest()
    {
        var output = await RunAsync("hash", new JsonObject { ["input_path"] = Images.Write("empty-for-hash.bin", []) });

        Assert.That((string)output["hash"]!, Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData([]))));
    }

    [Test]
    public async Task Hash_PerceptualHash_IsCloseForACopyAndFarForAnotherPicture()
    {
        var copy = Path.Combine(Images.Folder, "landscape-copy.jpg");
        Tool.Run(Tool.Convert, Images.Landscape, "-resize", "50%", "-quality", "60", copy);

        var original = await PerceptualAsync(Images.Landscape);
        var resized = await PerceptualAsync(copy);
        var other = await PerceptualAsync(Images.RotatedPhoto);

        Assert.That(original, Has.Length.EqualTo(16));
        Assert.That(Distance(original, resized), Is.LessThanOrEqualTo(6), "a resized, recompressed copy");
        Assert.That(Distance(original, other), Is.GreaterThan(16), "a different picture");
    }

    private static async Task<string> PerceptualAsync(string path)
    {
        var output = await RunAsync("hash", new JsonObject { ["input_path"] = path });
        Assert.That((string)output["perceptual_hash"]!["algorithm"]!, Is.EqualTo("dhash"));
        return (string)output["perceptual_hash"]!["value"]!;
    }

    private static int Distance(string a, string b) =>
        BitOperations.PopCount(Convert.ToUInt64(a, 16) ^ Convert.ToUInt64(b, 16));
}
