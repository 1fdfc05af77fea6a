using MediaWorker.Plugins.Speech.Tests.Support;
using MediaWorker.Testing;
using NUnit.Framework;

namespace MediaWorker.Plugins.Speech.Tests.Setup;

/// <summary>scripts/setup.d/whisper.sh once its library is built (./run_tests.sh built it before the tests).</summary>
public sealed class WhisperSetupHookTests
{
    private static readonly string Hook = Path.Combine(RepoPaths.Root, "scripts", "setup.d", "whisper.sh");

    [Test]
    public void UnchangedInputs_AreACacheHit_ThatRebuildsNothing()
    {
        var library = new FileInfo(WhisperBuild.Library);
        var before = library.LastWriteTimeUtc;

        var output = NativeTool.Run("bash", ["-c", $"bash '{Hook}' 2>&1"], new Dictionary<string, string?> { ["MW_ROOT"] = RepoPaths.Root, ["MW_PUBLISH"] = null });

        library.Refresh();
        Assert.Multiple(() =>
        {
            Assert.That(output, Does.Not.Contain("compiling"));
            Assert.That(library.LastWriteTimeUtc, Is.EqualTo(before));
            Assert.That(File.Exists(Path.Combine(WhisperBuild.IncludeDirectory, "whisper.h")), Is.True);
            Assert.That(File.Exists(Path.Combine(WhisperBuild.IncludeDirectory, "ggml.h")), Is.True);
        });
    }

    [Test]
    public void SourcedBySetup_ItInstallsTheLibraryIntoThePublishedPluginFolder()
    {
        using var publish = new TempDirectory("speech-publish");
        Directory.CreateDirectory(publish.Combine("plugins", "Speech"));

        // setup.sh sources the hook with MW_ROOT and MW_PUBLISH set; the hook must `return`, not `exit`.
        var output = NativeTool.Run("bash", ["-c", $"source '{Hook}' && echo still-running"], new Dictionary<string, string?> { ["MW_ROOT"] = RepoPaths.Root, ["MW_PUBLISH"] = publish.Path });

        var installed = publish.Combine("plugins", "Speech", "libwhisper.so");
        Assert.Multiple(() =>
        {
            Assert.That(output, Does.Contain("still-running"));
            Assert.That(File.ReadAllBytes(installed), Is.EqualTo(File.ReadAllBytes(WhisperBuild.Library)));
        });
    }
}
