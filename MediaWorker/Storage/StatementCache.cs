using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace MediaWorker.Storage;

/// <summary>
/// Runs the statements a worker repeats in every transaction (the lease reaper's two, the webhook
/// endpoint and pipeline look-ups, the one-job insert) as commands prepared once per SQLite connection, instead of
/// Dapper's fresh command per call. On PostgreSQL each call gets a fresh command, as with Dapper.
/// </summary>
/// <remarks>
/// Microsoft.Data.Sqlite keeps a command's compiled statement for as long as the command lives, but
/// has no cache across commands, so every <c>connection.Query(sql)</c> parses and plans its SQL
/// again. At a claim batch of 1 that was most of a job's cost: a claim took about 1 ms, nearly all
/// of it in SQLite's parser and planner and the mallocs they make.
/// Not thread-safe, like the connection it belongs to.
/// </remarks>
public static class StatementCache
{
    private static readonly ConditionalWeakTable<SqliteConnection, Dictionary<string, SqliteCommand>> Commands = new();

    /// <summary>Runs <paramref name="sql"/> and reads every row with <paramref name="read"/>.</summary>
    /// <param name="connection">The connection (and its open transaction, if any) to run on.</param>
    /// <param name="sql">The SQL text; on SQLite the cache is keyed by it, so it must not embed values.</param>
    /// <param name="parameters">Name and value of each parameter (names as written in the SQL, with their prefix).</param>
    /// <param name="read">Turns the current row into a result.</param>
    public static List<T> Query<T>(DbConnection connection, string sql, ReadOnlySpan<(string Name, object? Value)> parameters, Func<DbDataReader, T> read)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(read);
        if (connection is SqliteConnection sqlite)
        {
            return Run(Cached(sqlite, sql, parameters), parameters, read);
        }

        using var fresh = connection.CreateCommand();
        fresh.CommandText = sql;
        AddParameters(fresh, parameters);
        return Run(fresh, parameters, read);
    }

    /// <summary>Runs <paramref name="sql"/> for its effect.</summary>
    /// <returns>The number of rows it changed.</returns>
    /// <inheritdoc cref="Query{T}" path="/param"/>
    public static int Execute(DbConnection connection, string sql, ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (connection is SqliteConnection sqlite)
        {
            var cached = Cached(sqlite, sql, parameters);
            Bind(cached, parameters);
            return cached.ExecuteNonQuery();
        }

        using var fresh = connection.CreateCommand();
        fresh.CommandText = sql;
        AddParameters(fresh, parameters);
        Bind(fresh, parameters);
        return fresh.ExecuteNonQuery();
    }

    private static SqliteCommand Cached(SqliteConnection connection, string sql, ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        var commands = Commands.GetOrCreateValue(connection);
        if (!commands.TryGetValue(sql, out var command))
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
            AddParameters(command, parameters);
            commands[sql] = command;
        }

        return command;
    }

    private static void AddParameters(DbCommand command, ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        foreach (var (name, _) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            command.Parameters.Add(parameter);
        }
    }

    private static void Bind(DbCommand command, ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        for (var i = 0; i < parameters.Length; i++)
        {
            command.Parameters[i].Value = parameters[i].Value ?? DBNull.Value;
        }
    }

    private static List<T> Run<T>(DbCommand command, ReadOnlySpan<(string Name, object? Value)> parameters, Func<DbDataReader, T> read)
    {
        Bind(command, parameters);
        var rows = new List<T>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            rows.Add(read(reader));
        }

        return rows;
    }
}
