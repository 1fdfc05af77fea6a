using System.Runtime.InteropServices;
using MediaWorker.Plugins.Speech.Native;
using MediaWorker.Plugins.Speech.Tests.Support;
using MediaWorker.Plugins.Speech.Transcription;
using NUnit.Framework;

namespace MediaWorker.Plugins.Speech.Tests.Native;

/// <summary>What the set-up build adds to whisper.cpp (Native/whisper-mediaworker.patch), against the built library.</summary>
public sealed unsafe class WhisperPatchTests
{
    [Test]
    public void WindowNoSpeechProbability_IsSetByTheFirstDecodedWindow_AndIsAProbability()
    {
        WhisperLibrary.Load(WhisperBuild.Library, AppContext.BaseDirectory);
        Assert.That(WhisperLibrary.WindowNoSpeechExport, Is.Not.Zero, "the built library exports mediaworker_whisper_window_no_speech_prob");
        var noSpeech = (delegate* unmanaged<nint, float>)WhisperLibrary.WindowNoSpeechExport;
        using var model = WhisperModel.Load(WhisperBuild.TestModel);
        using var state = model.CreateState();
        Assert.That(float.IsNaN(noSpeech(state.DangerousGetHandle())), Is.True, "NaN before any window was decoded");

        var samples = WavFile.ReadSamples(WhisperBuild.JfkWav)[..(16_000 * 2)];
        var parameters = WhisperParams.FullDefaults(whisper_sampling_strategy.WHISPER_SAMPLING_GREEDY);
        parameters.print_progress = false;
        parameters.n_threads = 2;
        var language = "en\0"u8.ToArray();
        fixed (byte* l = language)
        fixed (float* s = samples)
        {
            parameters.language = l;
            WhisperCalls.Full(model.Context, state, parameters, s, samples.Length);
        }

        // The weightless model's logits are all zero: the softmax over its 51864-token vocabulary is uniform.
        Assert.That(noSpeech(state.DangerousGetHandle()), Is.EqualTo(1.0 / 51864).Within(1e-9));
    }
}
