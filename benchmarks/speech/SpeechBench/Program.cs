using System.Diagnostics;
using System.Globalization;
using Whisper.net;
using Whisper.net.Wave;

// Usage: SpeechBench <model.bin> <audio.wav (16 kHz mono)> <threads> <runs>
// Prints one line: {"load_ms": .., "transcribe_ms": [..], "audio_seconds": ..}. Each run builds a
// processor, transcribes the whole clip and disposes the processor, as one plugin job does.
if (args.Length != 4)
{
    Console.Error.WriteLine("usage: SpeechBench <model.bin> <audio.wav> <threads> <runs>");
    return 2;
}

var (model, audio, threads, runs) = (args[0], args[1], int.Parse(args[2], CultureInfo.InvariantCulture), int.Parse(args[3], CultureInfo.InvariantCulture));
float[] samples;
using (var wave = File.OpenRead(audio))
{
    samples = new WaveParser(wave).GetAvgSamples();
}

var watch = Stopwatch.StartNew();
using var factory = WhisperFactory.FromPath(model, new WhisperFactoryOptions { UseGpu = false });
_ = factory.CreateBuilder();
var loadMs = watch.Elapsed.TotalMilliseconds;

var times = new List<double>();
for (var i = 0; i < runs; i++)
{
    watch.Restart();
    await using (var processor = factory.CreateBuilder().WithThreads(threads).WithNoContext().WithTokenTimestamps().WithLanguage("en").Build())
    {
        await foreach (var _ in processor.ProcessAsync(samples))
        {
        }
    }

    times.Add(watch.Elapsed.TotalMilliseconds);
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{{\"load_ms\": {loadMs:0.0}, \"transcribe_ms\": [{string.Join(", ", times.Select(t => t.ToString("0.0", CultureInfo.InvariantCulture)))}], \"audio_seconds\": {samples.Length / 16000.0:0.00}}}"));
return 0;
