using MediaWorker.Plugins.Speech.Native;
using MediaWorker.Testing;
using NUnit.Framework;

namespace MediaWorker.Plugins.Speech.Tests.Native;

public sealed class WhisperLibraryTests
{
    [Test]
    public void TheSetting_IsTheOnlyPlaceLooked_WhenSet()
    {
        var error = Assert.Throws<WhisperException>(() => WhisperLibrary.Locate("/opt/whisper/libwhisper.so", "/plugins/Speech"));

        Assert.That(error!.Message, Does.StartWith("WHISPER_LIBRARY_PATH points at '/opt/whisper/libwhisper.so', which does not exist"));
    }

    [Test]
    public void WithoutTheSetting_ThePluginFolderAndItsRuntimesFolderAreSearched()
    {
        using var plugin = new TempDirectory("speech-lib");
        var error = Assert.Throws<WhisperException>(() => WhisperLibrary.Locate(null, plugin.Path));
        Assert.That(error!.Message, Does.Contain("libwhisper.so was not found").And.Contain("./start_worker.sh --build-only"));

        var native = plugin.Combine("runtimes", "linux-x64", "native");
        Directory.CreateDirectory(native);
        File.WriteAllText(Path.Combine(native, "libwhisper.so"), string.Empty);
        Assert.That(WhisperLibrary.Locate(null, plugin.Path), Is.EqualTo(Path.Combine(native, "libwhisper.so")));

        File.WriteAllText(plugin.Combine("libwhisper.so"), string.Empty);
        Assert.That(WhisperLibrary.Locate(null, plugin.Path), Is.EqualTo(plugin.Combine("libwhisper.so")), "beside the plugin's assembly first");
    }
}
