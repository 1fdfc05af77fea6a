using MediaWorker.Testing;

namespace MediaWorker.Tests.ComputeService;

/// <summary>Media made by the tests with the real tools (ImageMagick, ffmpeg): nothing is checked in.</summary>
internal static class TestMedia
{
    public static async Task<string> JpegAsync(string folder, string name = "photo.jpg")
    {
        var path = Path.Combine(folder, name);
        await ExternalTool.RunCheckedAsync("convert", "-size", "320x240", "gradient:red-blue", "-quality", "90", path);
        return path;
    }

    /// <summary>Two seconds of 640x480 test pattern with a tone, H.264/AAC in MP4.</summary>
    public static async Task<string> VideoAsync(string folder, string name = "clip.mp4")
    {
        var path = Path.Combine(folder, name);
        await ExternalTool.RunCheckedAsync(
            "ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=640x480:rate=25", "-f", "lavfi", "-i", "sine=frequency=440",
            "-t", "2", "-pix_fmt", "yuv420p", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-shortest", path);
        return path;
    }
}
