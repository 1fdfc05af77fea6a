using MediaWorker.Testing;
using MediaWorker.Tests.Support;

namespace MediaWorker.Tests.ComputeService;

/// <summary>What most compute API tests start from: a server folder and database, the API on it, and a JPEG made with ImageMagick.</summary>
internal sealed class ComputeApiScene : IAsyncDisposable
{
    private ComputeApiScene(DaemonEnvironment env, TempDirectory media, string jpeg, ComputeApiServer api)
    {
        Env = env;
        Media = media;
        Jpeg = jpeg;
        Api = api;
    }

    public DaemonEnvironment Env { get; }

    public TempDirectory Media { get; }

    public string Jpeg { get; }

    public ComputeApiServer Api { get; }

    public static async Task<ComputeApiScene> StartAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var env = new DaemonEnvironment();
        var media = new TempDirectory("mw-compute-media");
        try
        {
            var jpeg = await TestMedia.JpegAsync(media.Path);
            return new ComputeApiScene(env, media, jpeg, await ComputeApiServer.StartAsync(env, settings));
        }
        catch
        {
            env.Dispose();
            media.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Api.DisposeAsync();
        Env.Dispose();
        Media.Dispose();
    }
}
