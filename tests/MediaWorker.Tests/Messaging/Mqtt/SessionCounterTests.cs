using MediaWorker.Messaging.Mqtt;
using MediaWorker.Testing;
using MediaWorker.Tests.Support;
using Microsoft.Extensions.Logging;
using NUnit.Framework;

namespace MediaWorker.Tests.Messaging.Mqtt;

public sealed class SessionCounterTests
{
    private TempDirectory _directory = null!;
    private RecordingLoggerFactory _logs = null!;

    [SetUp]
    public void SetUp()
    {
        _directory = new TempDirectory("mw-session");
        _logs = new RecordingLoggerFactory();
    }

    [TearDown]
    public void TearDown()
    {
        _directory.Dispose();
        _logs.Dispose();
    }

    [Test]
    public void Next_CountsOnFromWhatTheFileHolds_AndSavesEachValue()
    {
        var path = SessionCounter.PathFor(_directory.Path, "w1");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "41");
        var counter = new SessionCounter(path, _logs.CreateLogger("test"));

        Assert.That(counter.Next(), Is.EqualTo(42));
        Assert.That(counter.Next(), Is.EqualTo(43));
        Assert.That(File.ReadAllText(path), Is.EqualTo("43"));
        Assert.That(new SessionCounter(path, _logs.CreateLogger("test")).Next(), Is.EqualTo(44));
    }

    [Test]
    public void AnUnreadableFile_StartsAgainFromOne_WithAWarning()
    {
        var path = SessionCounter.PathFor(_directory.Path, "w2");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "garbage");

        Assert.That(new SessionCounter(path, _logs.CreateLogger("test")).Next(), Is.EqualTo(1));
        Assert.That(_logs.AtLeast(LogLevel.Warning).Single().Message, Does.Contain("'garbage', not a number"));
    }
}
