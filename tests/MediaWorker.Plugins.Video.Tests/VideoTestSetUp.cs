using MediaWorker.Ffmpeg.Tests.Support;
using MediaWorker.Testing;
using NUnit.Framework;

namespace MediaWorker.Plugins.Video.Tests;

/// <summary>
/// Makes the clips once for every test in the assembly, inside the folder that serves as the jobs'
/// sandbox root (so the handlers may read them as absolute paths).
/// </summary>
[SetUpFixture]
public sealed class VideoTestSetUp
{
    private static TempDirectory? _root;
    private static TestClips? _clips;

    public static string Root => _root?.Path ?? throw new InvalidOperationException("The set-up fixture has not run.");

    public static TestClips Clips => _clips ?? throw new InvalidOperationException("The set-up fixture has not run.");

    [OneTimeSetUp]
    public async Task CreateAsync()
    {
        _root = new TempDirectory("mw-video");
        var clips = Path.Combine(_root.Path, "clips");
        Directory.CreateDirectory(clips);
        _clips = await TestClips.CreateAsync(clips);
    }

    [OneTimeTearDown]
    public void Delete() => _root?.Dispose();
}
