using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.Speech.Audio;
using MediaWorker.Plugins.Speech.Tasks;
using MediaWorker.Plugins.Speech.Transcription;
using Microsoft.Extensions.Logging;

namespace MediaWorker.Plugins.Speech;

/// <summary>
/// The Speech plugin: <c>transcribe</c> and <c>wake_word_detect</c> on whisper.cpp (libwhisper.so,
/// built at set-up). Settings: <c>WHISPER_MODEL_PATH</c> (a ggml Whisper model),
/// <c>WHISPER_LIBRARY_PATH</c> (another libwhisper.so), <c>WHISPER_THREADS</c> (threads per job),
/// and the ffmpeg library's <c>FFMPEG_PATH</c>/<c>FFPROBE_PATH</c>.
/// </summary>
/// <remarks>
/// Without WHISPER_MODEL_PATH the plugin loads but offers no tasks: a worker advertises over MQTT
/// only what it can run, so jobs wait in the queue for a worker that has a model instead of being
/// claimed here and failed. A model that is set but missing or broken is a misconfiguration, so
/// the tasks are offered and each job fails permanently with a message naming the setting. The
/// library and the model load lazily, on the first job.
/// </remarks>
public sealed class SpeechPlugin : IMediaWorkerPlugin
{
    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">WHISPER_THREADS is invalid.</exception>
    public IEnumerable<ITaskHandler> CreateHandlers(PluginContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var settings = SpeechSettings.Read(context.Settings);
        var logger = context.LoggerFactory.CreateLogger<SpeechPlugin>();
        if (settings.ModelPath is null)
        {
            logger.LogWarning(
                "Speech plugin: {Setting} is not set, so transcribe and wake_word_detect are not offered by this worker. Set it to a ggml Whisper model (docs/speech.md).",
                SpeechSettings.ModelPathSetting);
            return [];
        }

        var threads = settings.ThreadsPerJob(context.WorkerConcurrency, Environment.ProcessorCount);
        var engine = new WhisperEngine(settings, context.PluginDirectory, threads, logger);
        var transcription = new InputTranscription(engine, SpeechAudioDecoder.FromSettings(context.Settings));
        logger.LogInformation(
            "Speech plugin: model {ModelPath} (loaded on the first job), {Threads} whisper thread(s) per job, library {Library}.",
            settings.ModelPath, threads, settings.LibraryPath ?? "libwhisper.so in " + context.PluginDirectory);
        return [new TranscribeHandler(transcription), new WakeWordDetectHandler(transcription)];
    }
}
