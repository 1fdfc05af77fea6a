using MediaWorker.Ffmpeg.Tests.Support;
using MediaWorker.Testing;
using NUnit.Framework;

namespace MediaWorker.Ffmpeg.Tests;

/// <summary>Generates the test clips once for the whole assembly (a set-up fixture applies to its namespace and those below).</summary>
[SetUpFixture]
public sealed class Clips
{
    private static TempDirectory? _directory;
    private static TestClips? _clips;

    public static TestClips Get => _clips ?? throw new InvalidOperationException("The clips are made by the assembly's set-up fixture.");

    [OneTimeSetUp]
    public async Task CreateAsync()
    {
        _directory = new TempDirectory("mw-ffmpeg-clips");
        _clips = await TestClips.CreateAsync(_directory.Path);
    }

    [OneTimeTearDown]
    public void Delete() => _directory?.Dispose();
}
