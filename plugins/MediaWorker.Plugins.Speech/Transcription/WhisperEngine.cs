using System.Diagnostics;
using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.Speech.Native;
using MediaWorker.Plugins.Speech.Transcripts;
using Microsoft.Extensions.Logging;

namespace MediaWorker.Plugins.Speech.Transcription;

/// <summary>
/// The plugin's one whisper.cpp engine: loads the library and the model lazily, on the first job
/// that needs them, and shares the model among every job of the process (both tasks).
/// </summary>
/// <remarks>
/// Concurrency: each job decodes in its own whisper_state on the shared model, so jobs run in
/// parallel up to the worker's concurrency; each uses <see cref="ThreadsPerJob"/> threads. A load
/// that failed is not remembered: the next job tries again, so fixing the file needs no restart.
/// </remarks>
internal sealed class WhisperEngine : IDisposable
{
    private readonly SpeechSettings _settings;
    private readonly string _pluginDirectory;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private Task<WhisperModel>? _loading;

    public WhisperEngine(SpeechSettings settings, string pluginDirectory, int threadsPerJob, ILogger logger)
    {
        _settings = settings;
        _pluginDirectory = pluginDirectory;
        _logger = logger;
        ThreadsPerJob = threadsPerJob;
    }

    /// <summary>whisper.cpp threads each job uses.</summary>
    public int ThreadsPerJob { get; }

    /// <summary>The loaded model; loads it on first use.</summary>
    /// <exception cref="PermanentJobException">The model or the library is missing or unusable; the message names the setting.</exception>
    public Task<WhisperModel> GetModelAsync(CancellationToken cancellationToken)
    {
        Task<WhisperModel> loading;
        lock (_gate)
        {
            if (_loading is null || _loading.IsFaulted || _loading.IsCanceled)
            {
                _loading = Task.Factory.StartNew(Load, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            }

            loading = _loading;
        }

        // A cancelled job stops waiting; the load itself finishes for the next job.
        return loading.WaitAsync(cancellationToken);
    }

    /// <summary>Transcribes 16 kHz mono samples with the shared model.</summary>
    public async Task<Transcript> TranscribeAsync(float[] samples, double duration, TranscriptionOptions options, IProgress<int> progress, CancellationToken cancellationToken)
    {
        var model = await GetModelAsync(cancellationToken);
        return await WhisperTranscriber.TranscribeAsync(model, samples, duration, options, progress, cancellationToken);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_loading is { IsCompletedSuccessfully: true } loaded)
            {
                loaded.Result.Dispose();
            }
        }
    }

    private WhisperModel Load()
    {
        var modelPath = ModelFile.Check(_settings.ModelPath);
        string libraryPath;
        try
        {
            libraryPath = WhisperLibrary.Load(_settings.LibraryPath, _pluginDirectory);
        }
        catch (WhisperException ex)
        {
            throw new PermanentJobException($"The Speech plugin cannot use whisper.cpp: {ex.Message}", ex);
        }

        WhisperLog.Install(_logger);
        var file = ModelFileLayout.Walk(modelPath, _settings.ModelPath!, GgmlTypes.Sizes);
        if (file.TensorCount == 0)
        {
            _logger.LogWarning("Speech: {ModelPath} has no weight tensors (a whisper.cpp test model); every transcript will be empty", modelPath);
        }

        var watch = Stopwatch.StartNew();
        try
        {
            var model = WhisperModel.Load(modelPath);
            _logger.LogInformation(
                "Speech: loaded the {ModelType} Whisper model {ModelPath} ({Languages}) in {ElapsedMs} ms with {Library}; {Threads} threads per job",
                model.ModelType, modelPath, model.IsMultilingual ? "multilingual" : "English-only", watch.ElapsedMilliseconds, libraryPath, ThreadsPerJob);
            return model;
        }
        catch (WhisperException ex)
        {
            throw new PermanentJobException($"{SpeechSettings.ModelPathSetting} '{_settings.ModelPath}' could not be loaded as a Whisper model ({ex.Message}). Use a ggml model from https://huggingface.co/ggerganov/whisper.cpp and check its sha256 (docs/speech.md).", ex);
        }
    }
}
