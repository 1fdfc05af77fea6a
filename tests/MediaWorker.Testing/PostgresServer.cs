using System.Globalization;
using Dapper;
using Npgsql;
using NUnit.Framework;

namespace MediaWorker.Testing;

/// <summary>
/// A real PostgreSQL 15 (Debian's <c>postgresql</c> package) for the tests: initdb into a temporary
/// data directory, pg_ctl start on a free loopback port, no Unix socket. One server per test run
/// (<see cref="Shared"/>), one fresh database per fixture or test (<see cref="CreateDatabase"/>). PostgreSQL
/// refuses to run as root, so under root (CI) the server runs as the <c>postgres</c> system user
/// through setpriv.
/// </summary>
public sealed class PostgresServer : IDisposable
{
    private const string BinDirectory = "/usr/lib/postgresql/15/bin";
    private const string User = "mw";
    private static readonly Lazy<PostgresServer> SharedServer = new(() => new PostgresServer(), LazyThreadSafetyMode.ExecutionAndPublication);
    private static int _databases;
    private readonly TempDirectory _directory = new("mw-pg");
    private readonly string[] _asServerUser;

    private PostgresServer()
    {
        if (!File.Exists(Path.Combine(BinDirectory, "initdb")))
        {
            Assert.Ignore($"PostgreSQL 15 is not installed ({BinDirectory}/initdb); scripts/setup.sh installs the 'postgresql' package.");
        }

        Port = FreePort.Next();
        DataDirectory = Path.Combine(_directory.Path, "data");
        _asServerUser = Environment.UserName == "root" ? ["setpriv", "--reuid", "postgres", "--regid", "postgres", "--clear-groups", "--"] : [];
        if (_asServerUser.Length > 0)
        {
            Run("chown", "postgres:postgres", _directory.Path);
        }

        RunAsServer("initdb", "-D", DataDirectory, "-U", User, "--auth=trust", "-E", "UTF8", "--no-sync", "--no-instructions");
        Start();
    }

    /// <summary>The server every test of this run shares; started on first use, stopped when the run ends.</summary>
    public static PostgresServer Shared => SharedServer.Value;

    public static bool Started => SharedServer.IsValueCreated;

    /// <summary>Stops the shared server if this run started it: each test assembly's [SetUpFixture] calls it when the run ends.</summary>
    public static void StopShared()
    {
        if (Started)
        {
            Shared.Dispose();
        }
    }

    public int Port { get; }

    public string DataDirectory { get; }

    /// <summary>A URL for DATABASE_URL, naming <paramref name="database"/> on this server.</summary>
    public string Url(string database) => string.Create(CultureInfo.InvariantCulture, $"postgresql://{User}@127.0.0.1:{Port}/{database}");

    /// <summary>A new, empty database; its URL.</summary>
    public string CreateDatabase(string prefix = "mw")
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"{prefix}_{Environment.ProcessId}_{Interlocked.Increment(ref _databases)}");
        using var admin = new NpgsqlConnection(ConnectionString("postgres"));
        admin.Open();
        admin.Execute($"CREATE DATABASE {name}");
        return Url(name);
    }

    /// <summary>An Npgsql connection string for <paramref name="database"/> (no pooling: tests restart the server).</summary>
    public string ConnectionString(string database) =>
        string.Create(CultureInfo.InvariantCulture, $"Host=127.0.0.1;Port={Port};Username={User};Database={database};Pooling=false;Timeout=5");

    /// <summary>Stops the server (fast shutdown: open connections are closed), then starts it again on the same port.</summary>
    public void Restart(TimeSpan down)
    {
        Stop();
        Thread.Sleep(down);
        Start();
    }

    /// <summary>Stops the server (fast shutdown: open connections are closed) until <see cref="Start"/>.</summary>
    public void Stop() => RunAsServer("pg_ctl", "-D", DataDirectory, "-m", "fast", "-w", "stop");

    public void Dispose()
    {
        try
        {
            RunAsServer("pg_ctl", "-D", DataDirectory, "-m", "immediate", "-w", "stop");
        }
        catch (InvalidOperationException)
        {
        }

        _directory.Dispose();
    }

    /// <summary>Starts the server on its port; returns once it accepts connections.</summary>
    public void Start() => RunAsServer(
        "pg_ctl", "-D", DataDirectory, "-l", Path.Combine(_directory.Path, "server.log"), "-w", "-t", "60", "-o",
        string.Create(CultureInfo.InvariantCulture, $"-p {Port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c fsync=off -c max_connections=300 -c shared_buffers=64MB"),
        "start");

    private void RunAsServer(string tool, params string[] arguments)
    {
        string[] command = [.. _asServerUser, Path.Combine(BinDirectory, tool), .. arguments];
        Run(command[0], command[1..]);
    }

    private void Run(string file, params string[] arguments)
    {
        var (exitCode, output, error) = ExternalTool.RunAsync(file, arguments, TimeSpan.FromSeconds(90), _directory.Path).GetAwaiter().GetResult();
        if (exitCode != 0)
        {
            var log = Path.Combine(_directory.Path, "server.log");
            throw new InvalidOperationException(
                $"'{file} {string.Join(' ', arguments)}' exited with {exitCode}:\n{output}\n{error}\n{(File.Exists(log) ? File.ReadAllText(log) : "")}");
        }
    }
}
