using System.Runtime.InteropServices;
using MediaWorker.Plugins.Speech.Native;
using MediaWorker.Plugins.Speech.Tests.Support;
using MediaWorker.Testing;
using NUnit.Framework;

namespace MediaWorker.Plugins.Speech.Tests.Native;

/// <summary>
/// The load-time check refuses libraries whose structs the plugin's mirrors do not fit. The
/// foreign "libraries" are small C files compiled by gcc that export what a real build would.
/// </summary>
public sealed class WhisperBuildCheckTests
{
    private TempDirectory _temp = null!;

    [SetUp]
    public void CreateTemp() => _temp = new TempDirectory("speech-check");

    [TearDown]
    public void DeleteTemp() => _temp.Dispose();

    [Test]
    public void ABuildFromOtherSources_IsRefused()
    {
        var error = Verify("""
            const char * mediaworker_whisper_source(void) { return "smart-whisper@0.7.0"; }
            """);

        Assert.That(error.Message, Does.Contain("was built from the whisper.cpp sources of smart-whisper@0.7.0").And.Contain("smart-whisper@0.8.1").And.Contain("scripts/setup.d/whisper.sh"));
    }

    [Test]
    public void ABuildWhoseStructSizeDiffers_IsRefused()
    {
        var error = Verify("""
            #include <stddef.h>
            const char * mediaworker_whisper_source(void) { return "smart-whisper@0.8.1"; }
            size_t mediaworker_whisper_full_params_size(void) { return 280; }
            size_t mediaworker_whisper_context_params_size(void) { return 48; }
            size_t mediaworker_whisper_token_data_size(void) { return 56; }
            """);

        Assert.That(error.Message, Does.Contain("has a 280-byte whisper_full_params, the plugin's mirror has 264 bytes"));
    }

    [Test]
    public void ALaterWhisperCpp_IsRefused_NamingItsVersion()
    {
        var error = Verify("""
            const char * whisper_version(void) { return "1.7.4"; }
            """);

        Assert.That(error.Message, Does.Contain("is whisper.cpp 1.7.4"));
    }

    [Test]
    public void ALibraryWithoutWhisperCppsApi_IsRefused()
    {
        var error = Verify("int something_else(void) { return 0; }");

        Assert.That(error.Message, Does.Contain("does not export whisper_full_default_params_by_ref, so it is not a whisper.cpp library"));
    }

    [Test]
    public void AForeignBuildWithOtherDefaultsAtTheMirroredOffsets_IsRefused_ListingThem()
    {
        // A build whose struct moved fields: every default reads as zero at the mirrored offsets.
        var error = Verify("""
            #include <stdlib.h>
            void * whisper_full_default_params_by_ref(int strategy) { return calloc(1, 512); }
            void whisper_free_params(void * p) { free(p); }
            void * whisper_context_default_params_by_ref(void) { return calloc(1, 128); }
            void whisper_free_context_params(void * p) { free(p); }
            """);

        Assert.That(error.Message, Does.Contain("does not have the whisper_full_params layout").And.Contain("default n_max_text_ctx is 0, expected 16384").And.Contain("default grammar_penalty is 0, expected 100"));
    }

    private WhisperException Verify(string source)
    {
        var file = _temp.Combine("fake.c");
        File.WriteAllText(file, source);
        var library = _temp.Combine("libfake.so");
        NativeTool.Gcc(library, [file], "-shared", "-fPIC");
        var handle = NativeLibrary.Load(library);
        try
        {
            return Assert.Throws<WhisperException>(() => WhisperBuildCheck.Verify(handle, library))!;
        }
        finally
        {
            NativeLibrary.Free(handle);
        }
    }
}
