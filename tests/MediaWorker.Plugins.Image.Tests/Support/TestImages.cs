namespace MediaWorker.Plugins.Image.Tests.Support;

/// <summary>
/// The images the tests run on, made once per run with ImageMagick's and ffmpeg's command-line tools
/// in the shared sandbox root (so jobs may read them by absolute path).
/// </summary>
public sealed class TestImages
{
    public TestImages(string folder)
    {
        Folder = folder;
        Directory.CreateDirectory(folder);

        // Photographic-like content stored landscape (800x600) with EXIF orientation 6: displayed 600x800.
        RotatedPhoto = Make("rotated.jpg", Tool.Convert, "-size", "800x600", "-seed", "7", "plasma:fractal", "-quality", "90", "{0}");
        ExifSegment.Insert(RotatedPhoto, orientation: 6, withCameraTags: true);

        Landscape = Make("landscape.jpg", Tool.Convert, "-size", "800x600", "-seed", "11", "plasma:fractal", "-quality", "90", "{0}");
        AlphaPng = Make("alpha.png", Tool.Convert, "-size", "400x300", "xc:none", "-fill", "rgba(255,0,0,0.5)", "-draw", "circle 200,150 200,50", "{0}");
        AnimatedGif = Make("anim.gif", Tool.Convert, "-delay", "10", "-size", "200x100", "xc:red", "xc:green", "xc:blue", "-loop", "0", "{0}");
        DeepTiff = Make("deep.tif", Tool.Convert, "-size", "300x200", "gradient:black-white", "-depth", "16", "{0}");
        LargeJpeg = Make("large.jpg", "/usr/bin/ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc2=s=4000x3000", "-frames:v", "1", "-q:v", "3", "-y", "{0}");
        DeepAlphaPng = Make("deep-alpha.png", Tool.Convert, "-size", "300x200", "gradient:red-blue", "(", "-size", "300x200", "gradient:white-black", ")",
            "-alpha", "off", "-compose", "copyopacity", "-composite", "-depth", "16", "PNG64:{0}");
        CmykJpeg = Make("cmyk-photo.jpg", Tool.Convert, Landscape, "-colorspace", "CMYK", "{0}");
        PagedTiff = Make("pages.tif", Tool.Convert, "-size", "120x80", "xc:red", "xc:green", "xc:blue", "{0}");
        Heic = Make("photo.heic", Tool.Convert, Landscape, "-quality", "70", "{0}");
        Avif = Make("photo.avif", Tool.Convert, Landscape, "-quality", "70", "{0}");
        WebP = Make("photo.webp", Tool.Convert, Landscape, "-quality", "70", "{0}");
        var png = Make("for-jxl.png", Tool.Convert, Landscape, "{0}");
        Jxl = Make("photo.jxl", "/usr/bin/cjxl", "--quiet", png, "{0}", "-q", "80");
        Video = Make("clip.mp4", "/usr/bin/ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc2=s=320x240:r=25:d=4", "-c:v", "libx264", "-g", "10", "-pix_fmt", "yuv420p", "-y", "{0}");
    }

    public string Folder { get; }

    /// <summary>800x600 stored, EXIF orientation 6 (displayed 600x800), with camera, exposure and GPS tags.</summary>
    public string RotatedPhoto { get; }

    /// <summary>800x600, no EXIF.</summary>
    public string Landscape { get; }

    /// <summary>400x300 with a half-transparent red circle on transparency.</summary>
    public string AlphaPng { get; }

    /// <summary>200x100, three frames (red, green, blue).</summary>
    public string AnimatedGif { get; }

    /// <summary>300x200, 16 bits per sample.</summary>
    public string DeepTiff { get; }

    /// <summary>4000x3000 (12 MP) JPEG.</summary>
    public string LargeJpeg { get; }

    /// <summary>300x200 PNG, 16 bits per sample with a gradient alpha channel (RGBA64).</summary>
    public string DeepAlphaPng { get; }

    /// <summary>800x600 CMYK JPEG (the landscape, converted).</summary>
    public string CmykJpeg { get; }

    /// <summary>120x80 TIFF with three pages (red, green, blue).</summary>
    public string PagedTiff { get; }

    /// <summary>800x600 HEIC, written by the system's ImageMagick 6 with libheif's encoder.</summary>
    public string Heic { get; }

    /// <summary>800x600 AVIF, written by the system's ImageMagick 6.</summary>
    public string Avif { get; }

    /// <summary>800x600 WebP.</summary>
    public string WebP { get; }

    /// <summary>800x600 JPEG XL, written by libjxl's cjxl.</summary>
    public string Jxl { get; }

    /// <summary>4 s of 320x240 H.264 with a keyframe every 10 frames.</summary>
    public string Video { get; }

    /// <summary>A fresh file with this content, for crafted inputs.</summary>
    public string Write(string name, byte[] content)
    {
        var path = Path.Combine(Folder, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    private string Make(string name, string tool, params string[] args)
    {
        var path = Path.Combine(Folder, name);
        Tool.Run(tool, args.Select(a => a.Replace("{0}", path, StringComparison.Ordinal)).ToArray());
        return path;
    }
}
