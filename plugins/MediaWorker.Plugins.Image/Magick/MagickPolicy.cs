using System.Globalization;
using System.Security;

namespace MediaWorker.Plugins.Image.Magick;

/// <summary>
/// The plugin's own ImageMagick security policy (policy.xml). Magick.NET's default policy lets SVG
/// bytes be rendered and <c>https:</c> run curl; this one denies every coder but the allow-list,
/// every delegate (external program), indirect <c>@file</c> reads and standard input/output, and
/// sets the memory-map budget, which Magick.NET's <c>ResourceLimits</c> cannot set.
/// </summary>
/// <remarks>
/// ImageMagick 7 applies the policies in order and the last one that matches a name wins, so the
/// blanket denials come first and the allow-list after them.
/// </remarks>
internal static class MagickPolicy
{
    /// <summary>
    /// The coders a job may reach: the allow-listed formats, plus <c>XC</c> for blank canvases. Every
    /// read also names its coder, picked from the file's magic bytes, so these are a second wall.
    /// </summary>
    public static IReadOnlyList<string> AllowedCoders { get; } = ["JPEG", "PNG", "GIF", "WEBP", "BMP", "TIFF", "HEIC", "AVIF", "JXL", "XC"];

    /// <summary>The policy.xml text for a memory-map budget of <paramref name="mapMegabytes"/> MiB.</summary>
    public static string Xml(int mapMegabytes) => string.Create(CultureInfo.InvariantCulture, $$"""
        <?xml version="1.0" encoding="UTF-8"?>
        <policymap>
          <policy domain="delegate" rights="none" pattern="*"/>
          <policy domain="coder" rights="none" pattern="*"/>
          <policy domain="coder" rights="read | write" pattern="{{{SecurityElement.Escape(string.Join(',', AllowedCoders))}}}"/>
          <policy domain="module" rights="none" pattern="{MSL,MVG,SVG,URL,PS,PDF,EPS,XPS,TEXT,LABEL,EPHEMERAL}"/>
          <policy domain="path" rights="none" pattern="@*"/>
          <policy domain="path" rights="none" pattern="|*"/>
          <policy domain="path" rights="none" pattern="-"/>
          <policy domain="resource" name="map" value="{{mapMegabytes}}MiB"/>
        </policymap>
        """);
}
