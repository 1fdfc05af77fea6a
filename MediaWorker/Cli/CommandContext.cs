using System.CommandLine;
using MediaWorker.Configuration;
using MediaWorker.Storage;
using Microsoft.Data.Sqlite;

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

    public static SqliteConnection OpenDatabase(DatabaseSettings settings)
    {
        var connection = new SqliteConnectionFactory(settings.Store).Open();
        SchemaMigrator.Migrate(connection);
        return connection;
    }

    public static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
}
