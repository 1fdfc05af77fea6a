using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.Speech.Audio;
using MediaWorker.Plugins.Speech.Tasks;
using MediaWorker.Plugins.Speech.Transcription;
using MediaWorker.WhisperModels;
using Microsoft.Extensions.Logging;

namespace MediaWorker.Plugins.Speech;

/// <summary>
/// The Speech plugin: <c>transcribe</c> and <c>wake_word_detect</c> on whisper.cpp through
/// Whisper.net. Settings: <c>WHISPER_MODEL</c> (a model name such as <c>base.en</c>, pulled with
/// <c>mediaworker models pull</c>, or a path) or <c>WHISPER_MODEL_PATH</c> (a path),
/// <c>WHISPER_THREADS</c> (threads per job), and the ffmpeg library's <c>FFMPEG_PATH</c>/<c>FFPROBE_PATH</c>.
/// </summary>
/// <remarks>
/// The tasks are offered only when the model loads, here, as the plugin loads: a worker advertises
/// over MQTT only what it can run, so without a usable model speech jobs wait in the queue for a
/// worker that has one instead of being claimed here and failed. The model file's structure is
/// checked before whisper.cpp reads it, because whisper.cpp aborts the whole process on a cut-short
/// file; a bad file therefore costs the tasks, never the worker.
/// </remarks>
public sealed class SpeechPlugin : IMediaWorkerPlugin
{
    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">WHISPER_THREADS is invalid, or both model settings are set.</exception>
    public IEnumerable<ITaskHandler> CreateHandlers(PluginContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var settings = SpeechSettings.Read(context.Settings);
        var logger = context.LoggerFactory.CreateLogger<SpeechPlugin>();
        if (context.Settings.GetValue(SpeechSettings.RetiredLibraryPathSetting) is { } library)
        {
            logger.LogWarning(
                "Speech plugin: {Setting} ('{Library}') is no longer used: whisper.cpp now comes with Whisper.net.Runtime in the plugin folder. Remove the setting.",
                SpeechSettings.RetiredLibraryPathSetting, library);
        }

        if (!settings.HasModel)
        {
            logger.LogWarning(
                "Speech plugin: no model is set, so transcribe and wake_word_detect are not offered by this worker. Run `mediaworker models pull base.en` and set {Setting}=base.en (docs/speech.md).",
                SpeechSettings.ModelSetting);
            return [];
        }

        WhisperModel model;
        try
        {
            var location = ModelLocation.From(settings)!;
            model = WhisperModel.Load(location);
        }
        catch (ModelFileException ex)
        {
            logger.LogError("Speech plugin: transcribe and wake_word_detect are not offered by this worker: {Reason}", ex.Message);
            return [];
        }

        var threads = settings.ThreadsPerJob(context.WorkerConcurrency, Environment.ProcessorCount);
        if (model.Info.TensorCount == 0)
        {
            logger.LogWarning("Speech: {ModelPath} has no weight tensors (a whisper.cpp test model); every transcript will be empty", model.Location.Path);
        }

        logger.LogInformation(
            "Speech: loaded the {ModelType} Whisper model {ModelPath} ({Languages}) in {ElapsedMs} ms; {Threads} whisper thread(s) per job; {Variable}={Policy}",
            model.Info.ModelType, model.Location.Path, model.IsMultilingual ? "multilingual" : "English-only", (long)model.LoadTime.TotalMilliseconds, threads,
            OpenMpWaitPolicy.Variable, Environment.GetEnvironmentVariable(OpenMpWaitPolicy.Variable));
        if (!ComputeAbort.IsInstalled)
        {
            logger.LogWarning("Speech: a cancel waits for whisper.cpp's running encoder pass (most of a 30 s window), because the mid-graph abort could not be installed: {Problem}", ComputeAbort.Problem);
        }

        var transcription = new InputTranscription(model, threads, SpeechAudioDecoder.FromSettings(context.Settings));
        return [new TranscribeHandler(transcription), new WakeWordDetectHandler(transcription)];
    }
}
