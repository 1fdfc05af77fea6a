using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace MediaWorker.Storage;

/// <summary>
/// The few spellings portable SQL cannot share between SQLite and PostgreSQL. Shared statements
/// are written once with these holes; everything else is the same text on both engines.
/// </summary>
public sealed class SqlDialect
{
    public static readonly SqlDialect Sqlite = new("MAX", static parameter => parameter);

    /// <summary>PostgreSQL stores params and output as jsonb: text parameters are cast on the way in.</summary>
    public static readonly SqlDialect Postgres = new("GREATEST", static parameter => $"CAST({parameter} AS jsonb)");

    private readonly Func<string, string> _json;

    private SqlDialect(string greatest, Func<string, string> json)
    {
        Greatest = greatest;
        _json = json;
    }

    /// <summary>The larger of two values: <c>MAX(a, b)</c> in SQLite, <c>GREATEST(a, b)</c> in PostgreSQL.</summary>
    public string Greatest { get; }

    public static SqlDialect Of(DbConnection connection) => connection is SqliteConnection ? Sqlite : Postgres;

    /// <summary>
    /// "<paramref name="column"/> is one of the list in <paramref name="parameter"/>" (pass the list as an array):
    /// Dapper expands <c>IN @list</c> on SQLite, while Npgsql takes the list as one array parameter.
    /// </summary>
    public string OneOf(string column, string parameter) => ReferenceEquals(this, Sqlite) ? $"{column} IN {parameter}" : $"{column} = ANY({parameter})";

    /// <summary>A parameter holding JSON text, as the value of a JSON column.</summary>
    public string Json(string parameter) => _json(parameter);
}
