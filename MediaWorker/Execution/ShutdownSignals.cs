using System.Runtime.InteropServices;

namespace MediaWorker.Execution;

/// <summary>
/// SPEC 6 stop semantics: the first SIGINT/SIGTERM fires <see cref="Stopping"/> (stop claiming,
/// drain); a second one exits the process at once (leases then expire and other workers reclaim).
/// </summary>
public sealed class ShutdownSignals : IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly PosixSignalRegistration[] _registrations;
    private int _count;

    public ShutdownSignals(Action? onSecondSignal = null)
    {
        _registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle),
            PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle),
        ];

        void Handle(PosixSignalContext context)
        {
            context.Cancel = true; // we decide when to exit
            if (Interlocked.Increment(ref _count) == 1)
            {
                _stopping.Cancel();
                return;
            }

            onSecondSignal?.Invoke();
            Environment.Exit(130);
        }
    }

    public CancellationToken Stopping => _stopping.Token;

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _stopping.Dispose();
    }
}
