using MediaWorker.Plugins.Speech.Tests.Support;
using MediaWorker.Plugins.Speech.Transcription;
using NUnit.Framework;

namespace MediaWorker.Plugins.Speech.Tests.Transcription;

public sealed class TranscriptionProgressTests
{
    [Test]
    public void ProgressCoversTheWholeFile_NeverGoesBack_AndIsClamped()
    {
        var windows = new[]
        {
            new AudioWindow(0, 0, 100, double.NegativeInfinity, 50),
            new AudioWindow(1, 50, 200, 50, double.PositiveInfinity),
        };
        var reported = new List<int>();
        var progress = new TranscriptionProgress(new SyncProgress(reported.Add), windows);

        progress.Begin(windows[0]);
        progress.Report(50);
        progress.Report(272); // as Whisper.net has been seen to report
        progress.Report(-5);
        progress.Begin(windows[1]); // starts before where the first window ended
        progress.Report(100);

        Assert.That(reported, Is.EqualTo(new[] { 0, 25, 50, 100 }));
    }
}
