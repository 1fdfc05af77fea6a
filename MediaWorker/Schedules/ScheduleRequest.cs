using System.Text.Json.Nodes;
using MediaWorker.Cli;
using MediaWorker.JobRequests;

namespace MediaWorker.Schedules;

/// <summary>
/// A schedule as a person asks for it (<c>mediaworker schedule add</c> flags, the API's JSON body).
/// <see cref="ToRecord"/> is the one place it is checked, so the CLI and the API accept the same
/// schedules with the same messages; the job it submits is checked as <c>submit</c> checks one.
/// </summary>
public sealed record ScheduleRequest(string Name, string Cron, string TaskType, JsonObject Params)
{
    private const int MaxNameLength = 100;

    /// <summary>IANA zone; null for UTC.</summary>
    public string? TimeZone { get; init; }
    /// <summary><c>skip</c> (default) or <c>run_once</c>.</summary>
    public string? CatchUp { get; init; }
    public int Priority { get; init; } = 5;
    public int MaxRetries { get; init; } = 3;
    public double? TimeoutSeconds { get; init; }
    /// <summary>Added paused: no occurrence runs until it is resumed.</summary>
    public bool Paused { get; init; }
    /// <summary>When set, each occurrence starts a run of this stored pipeline with <see cref="Params"/> as its input, instead of a job of <see cref="TaskType"/>.</summary>
    public string? Pipeline { get; init; }

    /// <summary>The validated row, its next run computed from <paramref name="now"/>; throws <see cref="UsageException"/>.</summary>
    public ScheduleRecord ToRecord(DateTimeOffset now)
    {
        var name = CheckName(Name);
        var cron = CronSchedule.Parse(Cron, TimeZone);
        var policy = CatchUpPolicies.Parse(CatchUp);
        ScheduleTarget target;
        if (Pipeline is { } pipeline)
        {
            target = new PipelineTarget(string.IsNullOrWhiteSpace(pipeline) ? throw new UsageException("The pipeline name is empty; give a stored pipeline's name (mediaworker pipeline runs lists them).") : pipeline.Trim(), Params.ToJsonString());
        }
        else
        {
            var job = new SubmitRequest(TaskType, Params) { Priority = Priority, MaxRetries = MaxRetries, TimeoutSeconds = TimeoutSeconds }.ToNewJob(now);
            target = new JobTarget(job.TaskType, job.ParamsJson, job.Priority, job.MaxRetries, job.TimeoutSeconds);
        }

        var next = cron.NextAfter(now) ?? throw new UsageException($"The cron expression '{cron.Expression}' never occurs after {now:u}; check the day and month fields.");
        var nowMs = now.ToUnixTimeMilliseconds();
        return new ScheduleRecord
        {
            Name = name,
            Cron = cron.Expression,
            TimeZone = cron.ZoneId,
            CatchUp = CatchUpPolicies.Name(policy),
            Target = target.ToJsonString(),
            Paused = Paused ? 1 : 0,
            NextRunAt = Paused ? null : next.ToUnixTimeMilliseconds(),
            CreatedAt = nowMs,
            UpdatedAt = nowMs,
        };
    }

    /// <summary>Letters, digits, '.', '_' and '-': the name goes into idempotency keys, URLs and log lines.</summary>
    public static string CheckName(string? name)
    {
        var trimmed = name?.Trim() ?? string.Empty;
        if (trimmed.Length is 0 or > MaxNameLength || !trimmed.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
        {
            throw new UsageException($"The schedule name '{name}' is not allowed; use 1 to {MaxNameLength} letters, digits, '.', '_' or '-', e.g. nightly-cleanup.");
        }

        return trimmed;
    }
}
