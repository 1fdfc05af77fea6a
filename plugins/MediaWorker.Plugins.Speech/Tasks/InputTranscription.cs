using MediaWorker.Plugins.Abstractions;
using MediaWorker.Plugins.Speech.Audio;
using MediaWorker.Plugins.Speech.Transcription;
using MediaWorker.Plugins.Speech.Transcripts;
using Microsoft.Extensions.Logging;

namespace MediaWorker.Plugins.Speech.Tasks;

/// <summary>
/// The path both tasks take from an input file to a transcript: sandbox, model, language check,
/// ffmpeg decode, silence check, padding, whisper. The cheap checks come first, so a job with a bad
/// path or a language the model cannot do fails before ffmpeg runs.
/// </summary>
/// <param name="model">The model the plugin loaded.</param>
/// <param name="threadsPerJob">whisper.cpp threads each job uses.</param>
/// <param name="decoder">The ffmpeg decoder.</param>
internal sealed class InputTranscription(WhisperModel model, int threadsPerJob, SpeechAudioDecoder decoder)
{
    private const int DecodedProgress = 10;
    private const int TranscribedProgress = 95;

    /// <summary>Transcribes the job's input; reports progress 0-95.</summary>
    /// <param name="job">The job (its sandbox, progress and logger are used).</param>
    /// <param name="inputPath">The <c>input_path</c> parameter as given.</param>
    /// <param name="request">What to do.</param>
    /// <param name="cancellationToken">Stops ffmpeg or whisper.</param>
    public async Task<Transcript> TranscribeAsync(IJobContext job, string inputPath, TranscribeRequest request, CancellationToken cancellationToken)
    {
        var path = job.Files.ResolveInput(inputPath, "input_path");
        var options = request.ToOptions(model, threadsPerJob);
        job.Progress.Report(0);

        var audio = await decoder.DecodeAsync(path, inputPath, job.Files.CheckReference, cancellationToken);
        job.Progress.Report(DecodedProgress);
        var samples = AudioSamples.PadToMinimum(audio.Samples);
        if (samples.Length != audio.Samples.Length)
        {
            job.Logger.LogInformation("Speech: {InputPath} is {Seconds:0.###} s long; padded with silence to {Padded} s so whisper.cpp does not skip it", inputPath, audio.Duration, AudioSamples.Seconds(samples.Length));
        }

        var whisperProgress = new ScaledProgress(job.Progress, DecodedProgress, TranscribedProgress);
        var transcript = await WhisperTranscriber.TranscribeAsync(model, samples, audio.Duration, options, whisperProgress, cancellationToken);
        job.Progress.Report(TranscribedProgress);
        return transcript;
    }
}
