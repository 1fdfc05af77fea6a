using System.CommandLine;
using System.Data.Common;
using MediaWorker.Configuration;
using MediaWorker.Storage;

namespace MediaWorker.Cli;

/// <summary>What most commands need: the settings they use (no more) and an open, migrated database connection.</summary>
public static class CommandContext
{
    /// <summary>Every setting: the daemon (<c>run</c>).</summary>
    public static WorkerSettings LoadSettings(SettingsOptions options, ParseResult parseResult) =>
        WorkerSettings.Load(SettingsSource.FromProcess(options.Flags(parseResult)));

    /// <summary>The database settings only: submit, jobs, job, cancel, retry, purge.</summary>
    public static DatabaseSettings LoadDatabaseSettings(SettingsOptions options, ParseResult parseResult) =>
        DatabaseSettings.Load(Source(options, parseResult));

    /// <summary>Flags, environment and worker.env, for a command that reads a few more settings on its own.</summary>
    public static SettingsSource Source(SettingsOptions options, ParseResult parseResult) =>
        SettingsSource.FromProcess(options.Flags(parseResult));

    /// <summary>A migrated connection to the job database: the SQLite file or PostgreSQL, as DATABASE_URL says.</summary>
    public static DbConnection OpenDatabase(DatabaseSettings settings)
    {
        var store = JobStores.For(settings.Store);
        var connection = store.Open();
        try
        {
            store.Migrate(connection);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
}
