using System.Text.Json.Nodes;
using MediaWorker.Cli;
using MediaWorker.Storage;

namespace MediaWorker.JobRequests;

/// <summary>
/// A job as a person or a script asks for it (<c>mediaworker submit</c> flags, the API's JSON body),
/// before validation. <see cref="ToNewJob"/> is the one place these values are checked, so the CLI and
/// the API accept the same jobs and refuse the rest with the same one-line messages.
/// </summary>
public sealed record SubmitRequest(string TaskType, JsonObject Params)
{
    public int Priority { get; init; } = 5;
    public int MaxRetries { get; init; } = 3;
    public string? IdempotencyKey { get; init; }
    /// <summary>ISO 8601, or a delay from now such as <c>30s</c> or <c>5m</c>.</summary>
    public string? RunAfter { get; init; }
    /// <summary>Seconds one attempt may run; null or 0 for the task's default.</summary>
    public double? TimeoutSeconds { get; init; }
    public string? CreatedBy { get; init; }
    /// <summary>The job's own webhook: told how the job ended (docs/webhooks.md).</summary>
    public string? WebhookUrl { get; init; }
    /// <summary>WEBHOOK_ALLOWED_URL_PREFIXES of the process that submits: <see cref="WebhookUrl"/> must match it.</summary>
    public Webhooks.UrlAllowList WebhookUrls { get; init; } = new([]);

    /// <summary>The validated job; throws <see cref="UsageException"/> with a one-line reason.</summary>
    public NewJob ToNewJob(DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(TaskType))
        {
            throw new UsageException("The task type is empty; give one such as noop, sleep or image_resize.");
        }

        if (MaxRetries < 0)
        {
            throw new UsageException("--max-retries must be 0 or more.");
        }

        if (TimeoutSeconds is < 0 or double.NaN or double.PositiveInfinity)
        {
            throw new UsageException("--timeout must be a number of seconds above 0.");
        }

        if (IdempotencyKey is { Length: 0 })
        {
            throw new UsageException("--idempotency-key is empty; leave it out or give a key.");
        }

        if (WebhookUrl is not null)
        {
            try
            {
                WebhookUrls.Check(WebhookUrl);
            }
            catch (ArgumentException ex)
            {
                throw new UsageException($"--webhook-url: {ex.Message}", ex);
            }
        }

        return new NewJob(TaskType.Trim(), Params.ToJsonString())
        {
            Priority = Priority,
            MaxRetries = MaxRetries,
            IdempotencyKey = IdempotencyKey,
            RunAfter = RunAfter is { } at ? DurationParser.ParseTime(at, "--run-after", now).ToUnixTimeMilliseconds() : 0,
            TimeoutSeconds = TimeoutSeconds is { } t && t > 0 ? t : null,
            CreatedBy = CreatedBy,
            WebhookUrl = WebhookUrl,
        };
    }
}
