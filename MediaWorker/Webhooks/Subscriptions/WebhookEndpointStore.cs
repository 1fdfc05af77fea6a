using System.Security.Cryptography;
using Dapper;
using System.Data.Common;
using MediaWorker.Storage;

namespace MediaWorker.Webhooks.Subscriptions;

/// <summary>The <c>webhook_endpoints</c> table: add, list, rotate, remove, disable. Secrets are read only by the sender.</summary>
public static class WebhookEndpointStore
{
    /// <summary>The id of the endpoint defined by WEBHOOK_URL.</summary>
    public const string SettingsId = "settings";

    private const string Columns = "endpoint_id, url, events, task_types, created_at, disabled_at, disabled_reason, previous_secret IS NOT NULL AS rotating";

    public static WebhookEndpoint Add(DbConnection connection, WebhookSubscription subscription, long nowMs)
    {
        var id = "wh_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        Upsert(connection, id, subscription, nowMs);
        return Find(connection, id)!;
    }

    /// <summary>Keeps the WEBHOOK_URL subscription in the table (the daemon does this at start), so every process that changes a job sees it.</summary>
    public static void Upsert(DbConnection connection, string id, WebhookSubscription subscription, long nowMs)
    {
        using var transaction = Storage.WriteTransaction.Begin(connection);
        connection.Execute(
            """
            INSERT INTO webhook_endpoints (endpoint_id, url, secret, previous_secret, events, task_types, created_at)
            VALUES (@id, @url, @secret, @previous, @events, @tasks, @now)
            ON CONFLICT (endpoint_id) DO UPDATE SET url = excluded.url, secret = excluded.secret, previous_secret = excluded.previous_secret,
                events = excluded.events, task_types = excluded.task_types, disabled_at = NULL, disabled_reason = NULL
            """,
            new
            {
                id,
                url = subscription.Url,
                secret = subscription.Secret,
                previous = subscription.PreviousSecret,
                events = string.Join(',', subscription.Events.Select(WebhookSubscription.EventName)),
                tasks = string.Join(',', subscription.TaskTypes),
                now = nowMs,
            });
        transaction.Commit();
    }

    public static IReadOnlyList<WebhookEndpoint> List(DbConnection connection) =>
        connection.Query<EndpointRow>($"SELECT {Columns} FROM webhook_endpoints ORDER BY created_at, endpoint_id").Select(r => r.ToEndpoint()).ToList();

    public static WebhookEndpoint? Find(DbConnection connection, string id) =>
        connection.QuerySingleOrDefault<EndpointRow>($"SELECT {Columns} FROM webhook_endpoints WHERE endpoint_id = @id", new { id })?.ToEndpoint();

    /// <summary>Deletes the endpoint; its delivery log stays, and its queued deliveries fail with the reason.</summary>
    public static bool Remove(DbConnection connection, string id)
    {
        using var transaction = Storage.WriteTransaction.Begin(connection);
        var removed = connection.Execute("DELETE FROM webhook_endpoints WHERE endpoint_id = @id", new { id }) == 1;
        transaction.Commit();
        return removed;
    }

    /// <summary>Starts a rotation: <paramref name="secret"/> signs from now on, the current secret keeps signing beside it until <see cref="FinishRotation"/>.</summary>
    public static bool Rotate(DbConnection connection, string id, string secret)
    {
        Signing.SecretKey.Validate(secret);
        using var transaction = Storage.WriteTransaction.Begin(connection);
        var changed = connection.Execute("UPDATE webhook_endpoints SET previous_secret = secret, secret = @secret WHERE endpoint_id = @id", new { id, secret }) == 1;
        transaction.Commit();
        return changed;
    }

    /// <summary>Ends a rotation: only the current secret signs.</summary>
    public static bool FinishRotation(DbConnection connection, string id)
    {
        using var transaction = Storage.WriteTransaction.Begin(connection);
        var changed = connection.Execute("UPDATE webhook_endpoints SET previous_secret = NULL WHERE endpoint_id = @id", new { id }) == 1;
        transaction.Commit();
        return changed;
    }

    /// <summary>Inside the caller's transaction (a 410 Gone settles its delivery and disables the endpoint together).</summary>
    internal static void Disable(DbConnection connection, string id, string reason, long nowMs) =>
        connection.Execute(
            "UPDATE webhook_endpoints SET disabled_at = @now, disabled_reason = @reason WHERE endpoint_id = @id AND disabled_at IS NULL",
            new { id, reason, now = nowMs });

    /// <summary>Active endpoints with their filters, for the enqueue that follows a job's change.</summary>
    internal static IEnumerable<(string Id, string Url, WebhookSubscription Filter)> Active(DbConnection connection) =>
        StatementCache.Query(connection, "SELECT endpoint_id, url, events, task_types FROM webhook_endpoints WHERE disabled_at IS NULL", [], r => (Id: r.GetString(0), Url: r.GetString(1), Events: r.GetString(2), Tasks: r.GetString(3)))
            .Select(r => (r.Id, r.Url, new WebhookSubscription(r.Url, string.Empty, WebhookSubscription.ParseEvents(r.Events), WebhookSubscription.SplitList(r.Tasks))));

    /// <summary>What the sender needs: URL and secrets; null when the endpoint is gone.</summary>
    internal static EndpointCredentials? Credentials(DbConnection connection, string id) =>
        connection.QuerySingleOrDefault<EndpointCredentials>(
            "SELECT url AS Url, secret AS Secret, previous_secret AS PreviousSecret, disabled_at AS DisabledAt, disabled_reason AS DisabledReason FROM webhook_endpoints WHERE endpoint_id = @id",
            new { id });

    /// <summary>Never logged or shown: only the sender reads it.</summary>
    internal sealed class EndpointCredentials
    {
        public string Url { get; init; } = string.Empty;
        public string Secret { get; init; } = string.Empty;
        public string? PreviousSecret { get; init; }
        public long? DisabledAt { get; init; }
        public string? DisabledReason { get; init; }

        public override string ToString() => $"{Url} (secrets hidden)";
    }

#pragma warning disable IDE1006, CA1707 // column names
    private sealed class EndpointRow
    {
        public string endpoint_id { get; init; } = string.Empty;
        public string url { get; init; } = string.Empty;
        public string events { get; init; } = string.Empty;
        public string task_types { get; init; } = string.Empty;
        public long created_at { get; init; }
        public long? disabled_at { get; init; }
        public string? disabled_reason { get; init; }
        public bool rotating { get; init; }

        public WebhookEndpoint ToEndpoint() => new(
            endpoint_id, url, WebhookSubscription.SplitList(events), WebhookSubscription.SplitList(task_types), created_at, disabled_at, disabled_reason, rotating);
    }
#pragma warning restore IDE1006, CA1707
}
