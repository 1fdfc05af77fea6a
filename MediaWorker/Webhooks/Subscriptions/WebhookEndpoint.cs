namespace MediaWorker.Webhooks.Subscriptions;

/// <summary>A registered endpoint as the CLI and the API show it: never its secrets.</summary>
/// <param name="Id">The endpoint id (<c>wh_…</c>, or <c>settings</c> for the one in WEBHOOK_URL).</param>
/// <param name="Url">Where deliveries are POSTed.</param>
/// <param name="Events">Subscribed event types; empty for all.</param>
/// <param name="TaskTypes">Task types whose events are sent; empty for all.</param>
/// <param name="CreatedAt">Epoch ms.</param>
/// <param name="DisabledAt">Epoch ms when a 410 Gone (or a person) disabled it; null while active.</param>
/// <param name="DisabledReason">Why it was disabled.</param>
/// <param name="Rotating">True while a previous secret still signs (a rotation in progress).</param>
public sealed record WebhookEndpoint(
    string Id,
    string Url,
    IReadOnlyList<string> Events,
    IReadOnlyList<string> TaskTypes,
    long CreatedAt,
    long? DisabledAt,
    string? DisabledReason,
    bool Rotating);
