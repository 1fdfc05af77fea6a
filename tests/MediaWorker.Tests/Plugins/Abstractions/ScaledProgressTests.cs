using MediaWorker.Plugins.Abstractions;
using NUnit.Framework;

namespace MediaWorker.Tests.Plugins.Abstractions;

/// <summary>The one progress-scaling type plugins use to give each step its share of a job's 0-100.</summary>
public sealed class ScaledProgressTests
{
    [Test]
    public void Percentages_MapOntoTheStepsShare()
    {
        var job = new Recorder();
        IProgress<int> step = new ScaledProgress(job, 20, 60);

        foreach (var value in new[] { 0, 25, 50, 99, 100 })
        {
            step.Report(value);
        }

        Assert.That(job.Values, Is.EqualTo(new[] { 20, 30, 40, 60, 60 }));
    }

    [Test]
    public void Fractions_MapOntoTheSameShare()
    {
        var job = new Recorder();
        IProgress<double> step = new ScaledProgress(job, 5, 90);

        foreach (var value in new[] { 0.0, 0.5, 1.0 })
        {
            step.Report(value);
        }

        Assert.That(job.Values, Is.EqualTo(new[] { 5, 48, 90 }));
    }

    [Test]
    public void ValuesOutsideTheRange_AreClamped()
    {
        var job = new Recorder();
        var step = new ScaledProgress(job, 80, 100);

        step.Report(272);
        step.Report(-3);
        step.Report(1.7);
        step.Report(double.NegativeInfinity);

        Assert.That(job.Values, Is.EqualTo(new[] { 100, 80, 100, 80 }));
    }

    [Test]
    public void Nested_StepsCompose_AndReportOnTheCallersThread()
    {
        var job = new Recorder();
        var outer = new ScaledProgress(job, 0, 50);
        var inner = new ScaledProgress(outer, 50, 100);

        inner.Report(100);

        Assert.That(job.Values, Is.EqualTo(new[] { 50 }), "reported at once, synchronously");
    }

    private sealed class Recorder : IProgress<int>
    {
        public List<int> Values { get; } = [];

        public void Report(int value) => Values.Add(value);
    }
}
