using System.Collections.Frozen;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace MediaWorker.Http.Dashboard;

/// <summary>
/// The dashboard: one page with plain JavaScript and CSS, embedded in the assembly (no front-end
/// build, nothing on disk to lose). The files hold no data, so they are served without the token;
/// the page asks for it once and sends it with every API call.
/// </summary>
internal static class DashboardAssets
{
    private static readonly FrozenDictionary<string, Asset> Assets = Load();

    /// <summary>True for the paths of the page's own files.</summary>
    public static bool IsAsset(PathString path) => path == "/" || (path.HasValue && Assets.ContainsKey(path.Value!.TrimStart('/')));

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/", (HttpContext http) => Serve(http, "index.html")).ExcludeFromDescription();
        foreach (var name in Assets.Keys.Where(n => n != "index.html"))
        {
            app.MapGet("/" + name, (HttpContext http) => Serve(http, name)).ExcludeFromDescription();
        }
    }

    private static IResult Serve(HttpContext http, string name)
    {
        var asset = Assets[name];
        http.Response.Headers.ETag = asset.ETag;
        http.Response.Headers.CacheControl = "no-cache";
        if (name == "index.html")
        {
            // The page runs only our own script and talks only to this server (inline styles: the bars' widths).
            http.Response.Headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'";
        }

        if (http.Request.Headers.IfNoneMatch == asset.ETag)
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        return Results.Bytes(asset.Content, asset.ContentType);
    }

    private static FrozenDictionary<string, Asset> Load()
    {
        var assembly = typeof(DashboardAssets).Assembly;
        const string Prefix = "Dashboard/";
        var assets = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var content = buffer.ToArray();
            var name = resource[Prefix.Length..].Replace('\\', '/');
            assets[name] = new Asset(content, ContentType(name), "\"" + Convert.ToHexString(SHA256.HashData(content))[..16] + "\"");
        }

        return assets.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static string ContentType(string name) => Path.GetExtension(name) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        _ => "application/octet-stream",
    };

    private sealed record Asset(byte[] Content, string ContentType, string ETag);
}
