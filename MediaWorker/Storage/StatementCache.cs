using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace MediaWorker.Storage;

/// <summary>
/// Runs the statements a worker repeats in every transaction (the lease reaper's two, the webhook
/// endpoint and pipeline look-ups, the inserts) as commands prepared once per SQLite connection, instead of
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
        ArgumentNullException.ThrowIfNull(read);
        var command = Bound(connection, sql, parameters, out var fresh);
        try
        {
            var rows = new List<T>();
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                rows.Add(read(reader));
            }

            return rows;
        }
        finally
        {
            if (fresh)
            {
                command.Dispose();
            }
        }
    }

    /// <summary>Runs <paramref name="sql"/> for its effect.</summary>
    /// <returns>The number of rows it changed.</returns>
    /// <inheritdoc cref="Query{T}" path="/param"/>
    public static int Execute(DbConnection connection, string sql, ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        var command = Bound(connection, sql, parameters, out var fresh);
        try
        {
            return command.ExecuteNonQuery();
        }
        finally
        {
            if (fresh)
            {
                command.Dispose();
            }
        }
    }

    /// <summary>The command for <paramref name="sql"/> with the values bound: the cached one on SQLite, a <paramref name="fresh"/> one (the caller disposes it) elsewhere.</summary>
    private static DbCommand Bound(DbConnection connection, string sql, ReadOnlySpan<(string Name, object? Value)> parameters, out bool fresh)
    {
        ArgumentNullException.ThrowIfNull(connection);
        DbCommand command;
        if (connection is SqliteConnection sqlite)
        {
            command = Cached(sqlite, sql, parameters);
            fresh = false;
        }
        else
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
            AddParameters(command, parameters);
            fresh = true;
        }

        for (var i = 0; i < parameters.Length; i++)
        {
            command.Parameters[i].Value = parameters[i].Value ?? DBNull.Value;
        }

        return command;
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
}
