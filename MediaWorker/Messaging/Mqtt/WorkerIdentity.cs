using System.Reflection;

namespace MediaWorker.Messaging.Mqtt;

/// <summary>The parts of the capability message that describe the process rather than its state.</summary>
internal sealed record WorkerIdentity(string Version, string Host, int Pid, TimeSpan HeartbeatInterval)
{
    public static WorkerIdentity ForThisProcess(TimeSpan heartbeatInterval) =>
        new(DaemonVersion(), Environment.MachineName, Environment.ProcessId, heartbeatInterval);

    /// <summary>The daemon's version ("0.1.0"), without the source revision the SDK appends after '+'.</summary>
    private static string DaemonVersion()
    {
        var assembly = typeof(WorkerIdentity).Assembly;
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        var version = informational ?? assembly.GetName().Version?.ToString(3) ?? "0.0.0";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? version : version[..plus];
    }
}
