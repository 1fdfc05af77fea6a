using MediaWorker.Messaging;

using MediaWorker.Webhooks.Signing;

namespace MediaWorker.Webhooks.Subscriptions;

/// <summary>
/// What an endpoint receives: its URL, its signing secrets (the current one and, while a rotation
/// runs, the previous one), and which events of which task types. Empty filters mean all.
/// </summary>
public sealed record WebhookSubscription(string Url, string Secret, IReadOnlyList<JobEventType> Events, IReadOnlyList<string> TaskTypes)
{
    /// <summary>The job events of SPEC 7 an endpoint may subscribe to.</summary>
    public static readonly IReadOnlyList<JobEventType> AllEvents =
        [JobEventType.Processing, JobEventType.Progress, JobEventType.Completed, JobEventType.Failed, JobEventType.Cancelled, JobEventType.Retrying];

    public string? PreviousSecret { get; init; }

    /// <summary>Validates and builds a subscription; throws <see cref="ArgumentException"/> with a message a person can act on.</summary>
    public static WebhookSubscription Create(string url, string secret, string? events, string? taskTypes, UrlAllowList allowed)
    {
        allowed.Check(url);
        SecretKey.Validate(secret);
        return new WebhookSubscription(url, secret, ParseEvents(events), SplitList(taskTypes));
    }

    public bool Matches(JobEventType type, string taskType) =>
        (Events.Count == 0 || Events.Contains(type)) && (TaskTypes.Count == 0 || TaskTypes.Contains(taskType, StringComparer.Ordinal));

    public static IReadOnlyList<JobEventType> ParseEvents(string? text)
    {
        var events = new List<JobEventType>();
        foreach (var name in SplitList(text))
        {
            var match = AllEvents.Where(e => string.Equals(EventName(e), name, StringComparison.OrdinalIgnoreCase)).ToList();
            if (match.Count == 0)
            {
                throw new ArgumentException($"'{name}' is no event type; use {string.Join(", ", AllEvents.Select(EventName))}.");
            }

            events.Add(match[0]);
        }

        return events.Distinct().ToList();
    }

    public static string EventName(JobEventType type) => type.ToString().ToLowerInvariant();

    public static IReadOnlyList<string> SplitList(string? text) =>
        (text ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToList();
}
