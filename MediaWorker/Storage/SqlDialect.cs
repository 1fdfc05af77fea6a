using System.Data.Common;
using System.Text.Json;
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
    /// "<paramref name="column"/> is one of the list in <paramref name="parameter"/>"; pass the list through
    /// <see cref="List"/>. Both engines take the whole list as one parameter, so the statement text is
    /// the same for every length: SQLite reads a JSON array with <c>json_each</c>, PostgreSQL an array.
    /// </summary>
    /// <remarks>
    /// Not Dapper's <c>IN @list</c> expansion on SQLite: that makes one named parameter per item, and
    /// SQLite finds each name by a linear search of the statement's names, so a 256-job batch cost
    /// about 65,000 string comparisons per look-up (a fifth of the no-op benchmark's CPU), a fresh
    /// statement for every length, and a hard limit at 32,766 items.
    /// </remarks>
    public string OneOf(string column, string parameter) =>
        ReferenceEquals(this, Sqlite) ? $"{column} IN (SELECT value FROM json_each({parameter}))" : $"{column} = ANY({parameter})";

    /// <summary>The value for a <see cref="OneOf"/> parameter: a JSON array on SQLite, an array on PostgreSQL.</summary>
    public object List(IEnumerable<string> values) =>
        ReferenceEquals(this, Sqlite) ? JsonSerializer.Serialize(values) : values.ToArray();

    /// <summary>A parameter holding JSON text, as the value of a JSON column.</summary>
    public string Json(string parameter) => _json(parameter);
}
