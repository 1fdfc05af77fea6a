using System.Globalization;

namespace MediaWorker.Plugins.Image.Tests.Support;

/// <summary>What ImageMagick's identify (an independent reader, not the plugin's binding) says about a written file.</summary>
public sealed record ImageInfo(string Format, int Width, int Height, int Frames, int Depth, bool HasAlpha, int Orientation, int PropertyCount)
{
    public static ImageInfo Read(string path)
    {
        // One line per frame: format width height depth alpha orientation
        var lines = Tool.Run(Tool.Identify, "-format", "%m %w %h %z %A %[orientation]\n", path)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var first = lines[0].Split(' ');
        var exifCount = Tool.Run(Tool.Identify, "-format", "%[exif:*]", path + "[0]").Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
        return new ImageInfo(
            first[0],
            int.Parse(first[1], CultureInfo.InvariantCulture),
            int.Parse(first[2], CultureInfo.InvariantCulture),
            lines.Length,
            int.Parse(first[3], CultureInfo.InvariantCulture),
            first[4] is "True" or "Blend",
            OrientationNumber(first[5]),
            exifCount);
    }

    private static int OrientationNumber(string name) => name switch
    {
        "TopLeft" => 1,
        "TopRight" => 2,
        "BottomRight" => 3,
        "BottomLeft" => 4,
        "LeftTop" => 5,
        "RightTop" => 6,
        "RightBottom" => 7,
        "LeftBottom" => 8,
        _ => 0,
    };
}
