using MediaWorker.Testing;
using NUnit.Framework;

namespace MediaWorker.Tests.Support;

/// <summary>Runs a worker as another user (nobody, 65534) through setpriv; needs the tests to run as root.</summary>
internal static class SecondUser
{
    private const string Id = "65534";

    public static void Require()
    {
        if (Environment.UserName != "root" || !File.Exists("/usr/bin/setpriv"))
        {
            Assert.Ignore("Needs root and setpriv (util-linux) to run a worker as a second user (nobody).");
        }
    }

    /// <summary>Hands <paramref name="directory"/> (the server folder) to the second user.</summary>
    public static Task GiveAsync(string directory) => ExternalTool.RunCheckedAsync("chown", "-R", $"{Id}:{Id}", directory);

    public static WorkerProcess StartWorker(DaemonEnvironment env, string workerId, params string[] extraArgs)
    {
        var environment = new Dictionary<string, string?>(env.Environment) { ["HOME"] = env.ServerDirectory };
        return WorkerProcess.Start(
            ["run", "--worker-id", workerId, .. extraArgs],
            environment,
            env.ServerDirectory,
            ["setpriv", "--reuid", Id, "--regid", Id, "--clear-groups", "--"]);
    }
}
