using System.CommandLine;
using MediaWorker.Configuration;
using MediaWorker.Storage;
using Microsoft.Data.Sqlite;

namespace MediaWorker.Cli;

/// <summary>What most commands need: validated settings and an open, migrated database connection.</summary>
public static class CommandContext
{
    public static WorkerSettings LoadSettings(SettingsOptions options, ParseResult parseResult) =>
        WorkerSettings.Load(SettingsSource.FromProcess(options.Flags(parseResult)));

    public static SqliteConnection OpenDatabase(WorkerSettings settings)
    {
        var connection = new SqliteConnectionFactory(settings.Store).Open();
        SchemaMigrator.Migrate(connection);
        return connection;
    }

    public static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
}
