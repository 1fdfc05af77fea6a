using System.Globalization;
using Npgsql;

namespace MediaWorker.Storage.Postgres;

/// <summary>
/// Reads <c>DATABASE_URL=postgresql://user:password@host:port/database?sslmode=…</c> (libpq's URL
/// form, as River, Oban and graphile-worker take it) into an Npgsql connection string with the
/// worker's pool and timeouts.
/// </summary>
public static class PostgresUrl
{
    /// <summary>Query parameters understood, libpq's names on the left.</summary>
    private static readonly Dictionary<string, Action<NpgsqlConnectionStringBuilder, string>> Options = new(StringComparer.OrdinalIgnoreCase)
    {
        ["sslmode"] = (b, v) => b.SslMode = ParseSslMode(v),
        ["sslrootcert"] = (b, v) => b.RootCertificate = v,
        ["sslcert"] = (b, v) => b.SslCertificate = v,
        ["sslkey"] = (b, v) => b.SslKey = v,
        ["sslpassword"] = (b, v) => b.SslPassword = v,
        ["application_name"] = (b, v) => b.ApplicationName = v,
        ["connect_timeout"] = (b, v) => b.Timeout = int.Parse(v, NumberStyles.None, CultureInfo.InvariantCulture),
    };

    public static bool IsPostgres(string url) =>
        url.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase);

    /// <summary>The connection string, or a message saying what is wrong with the URL.</summary>
    public static (string? ConnectionString, string? Error) Parse(string url, int poolSize)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            return (null, $"'{Redact(url)}' is not a PostgreSQL URL; use postgresql://user:password@host:port/database?sslmode=require.");
        }

        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length == 0)
        {
            return (null, $"'{Redact(url)}' names no database; add it after the host: postgresql://user:password@host:5432/mediaworker.");
        }

        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port < 0 ? 5432 : uri.Port,
            Database = database,
            ApplicationName = "mediaworker",
            // A small pool: the worker needs its writer, the job monitor's reader and the LISTEN
            // connection; the CLI and API take one each per request.
            MaxPoolSize = poolSize,
            MinPoolSize = 0,
            Timeout = 5,
            CommandTimeout = 30,
            // Catches a server that vanished without closing the socket (a box unplugged).
            KeepAlive = 15,
            // The claim and the fenced writes run thousands of times: prepare them on each connection.
            MaxAutoPrepare = 32,
            AutoPrepareMinUsages = 2,
        };
        var userInfo = uri.UserInfo.Split(':', 2);
        if (userInfo[0].Length > 0)
        {
            builder.Username = Uri.UnescapeDataString(userInfo[0]);
        }

        if (userInfo.Length == 2)
        {
            builder.Password = Uri.UnescapeDataString(userInfo[1]);
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Split('=', 2);
            var name = Uri.UnescapeDataString(parts[0]);
            var value = parts.Length == 2 ? Uri.UnescapeDataString(parts[1]) : "";
            if (!Options.TryGetValue(name, out var apply))
            {
                return (null, $"'{name}' in '{Redact(url)}' is not understood; known are {string.Join(", ", Options.Keys)}.");
            }

            try
            {
                apply(builder, value);
            }
            catch (Exception ex) when (ex is FormatException or ArgumentException or OverflowException)
            {
                return (null, $"{name}={value} in '{Redact(url)}' is not valid: {ex.Message}");
            }
        }

        return (builder.ConnectionString, null);
    }

    /// <summary>postgresql://user@host:port/database, for logs: never the password.</summary>
    public static string Describe(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var user = string.IsNullOrEmpty(builder.Username) ? "" : builder.Username + "@";
        return string.Create(CultureInfo.InvariantCulture, $"postgresql://{user}{builder.Host}:{builder.Port}/{builder.Database}");
    }

    private static SslMode ParseSslMode(string value) => value.ToLowerInvariant() switch
    {
        "disable" => SslMode.Disable,
        "allow" => SslMode.Allow,
        "prefer" => SslMode.Prefer,
        "require" => SslMode.Require,
        "verify-ca" => SslMode.VerifyCA,
        "verify-full" => SslMode.VerifyFull,
        _ => throw new ArgumentException("sslmode is one of disable, allow, prefer, require, verify-ca, verify-full"),
    };

    private static string Redact(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.UserInfo.Contains(':', StringComparison.Ordinal)
            ? url.Replace(uri.UserInfo, uri.UserInfo.Split(':')[0] + ":***", StringComparison.Ordinal)
            : url;
}
