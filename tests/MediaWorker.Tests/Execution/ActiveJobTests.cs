using MediaWorker.Execution;
using MediaWorker.Storage;
using NUnit.Framework;

namespace MediaWorker.Tests.Execution;

/// <summary>The claim loop frees a job's slot from <see cref="ActiveJob"/>'s settling callback: it must fire once, at settling.</summary>
public sealed class ActiveJobTests
{
    [Test]
    public void TheSettlingCallback_FiresOnce_WhenTheOutcomeGoesToTheWriter()
    {
        var calls = 0;
        using var active = new ActiveJob(new ClaimedJob(1, "j", "noop", "{}", 1, 3, null, 0, 0, "token"), TimeProvider.System, () => calls++);

        active.ReportProgress(50);
        active.Stop(StopReason.CancelRequested);
        Assert.That(calls, Is.Zero, "progress and a stop do not free the slot: the handler is still running");

        active.BeginSettling();
        active.BeginSettling();
        Assert.That(calls, Is.EqualTo(1));
        Assert.That(active.IsSettling, Is.True);
    }
}
