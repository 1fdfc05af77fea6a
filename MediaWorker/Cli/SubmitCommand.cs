using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using MediaWorker.Configuration;
using MediaWorker.JobRequests;
using MediaWorker.Plugins.Validation;
using MediaWorker.Storage;

namespace MediaWorker.Cli;

/// <summary><c>mediaworker submit</c>: enqueue a job; prints its id alone on the last line, or with --wait the final row.</summary>
public static class SubmitCommand
{
    public static Command Create()
    {
        var command = new Command("submit", "Enqueue a job. Prints the job id on the last line; with --wait, waits and prints the final row as JSON (exit 1 if it failed or was cancelled).");
        var taskType = new Argument<string>("task_type") { Description = "The task type, e.g. noop, sleep, image_resize." };
        var json = new Option<string?>("--params") { Description = "Parameters as a JSON object." };
        var param = new Option<string[]>("--param") { Description = "One parameter as key=value (repeatable); the value is read as JSON when it parses, else as text.", AllowMultipleArgumentsPerToken = false };
        var priority = new Option<int>("--priority") { Description = "Higher runs first.", DefaultValueFactory = _ => 5 };
        var maxRetries = new Option<int>("--max-retries") { Description = "Retries after the first attempt.", DefaultValueFactory = _ => 3 };
        var key = new Option<string?>("--idempotency-key") { Description = "Submitting twice with the same key returns the first job." };
        var runAfter = new Option<string?>("--run-after") { Description = "Not before this time: ISO 8601, or a delay such as 30s, 5m." };
        var timeout = new Option<double?>("--timeout") { Description = "Seconds one attempt may run (default: the task's)." };
        var wait = new Option<bool>("--wait") { Description = "Wait until the job finishes and print the final row as JSON." };
        var waitTimeout = new Option<string?>("--wait-timeout") { Description = "Give up waiting after this long (e.g. 10m); the job keeps going." };
        var webhookUrl = new Option<string?>("--webhook-url") { Description = "POST how the job ended (completed, failed, cancelled) to this URL, signed with the worker's WEBHOOK_JOB_SECRET; must match WEBHOOK_ALLOWED_URL_PREFIXES." };
        var strict = new Option<bool>("--strict") { Description = "Refuse (exit 2) a task type that no loaded plugin and no known worker offers, instead of warning and queueing it." };
        command.Arguments.Add(taskType);
        foreach (var option in new Option[] { json, param, priority, maxRetries, key, runAfter, timeout, wait, waitTimeout, strict, webhookUrl })
        {
            command.Options.Add(option);
        }

        var settingsOptions = SettingsOptions.ForDatabase(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var source = CommandContext.Source(settingsOptions, parseResult);
            var settings = DatabaseSettings.Load(source);
            var parameters = BuildParams(parseResult.GetValue(json), parseResult.GetValue(param) ?? []);
            var request = new SubmitRequest(parseResult.GetValue(taskType)!, parameters)
            {
                Priority = parseResult.GetValue(priority),
                MaxRetries = parseResult.GetValue(maxRetries),
                IdempotencyKey = parseResult.GetValue(key),
                RunAfter = parseResult.GetValue(runAfter),
                TimeoutSeconds = parseResult.GetValue(timeout),
                CreatedBy = "mediaworker-cli",
                WebhookUrl = parseResult.GetValue(webhookUrl),
                WebhookUrls = Webhooks.WebhookSettings.Load(source).AllowedUrls,
            };

            using var connection = CommandContext.OpenDatabase(settings);
            var check = await TaskTypeCheck.CheckAsync(source, connection, request.TaskType, cancellationToken);
            if (!check.Served && parseResult.GetValue(strict))
            {
                throw new UsageException($"{check.Warning} Not queued (--strict).");
            }

            if (check.Warning is not null)
            {
                await Console.Error.WriteLineAsync($"mediaworker: warning: {check.Warning} The job is queued and waits for a worker that serves it; --strict refuses instead.");
            }

            var (submitted, created) = new JobActions(connection, settings.Store.Location, CommandContext.Now).Submit(request);
            var jobId = submitted.JobId;
            if (!created)
            {
                await Console.Error.WriteLineAsync($"An earlier job has idempotency key '{request.IdempotencyKey}'; returning it.");
            }

            if (!parseResult.GetValue(wait))
            {
                Console.WriteLine(jobId);
                return ExitCodes.Ok;
            }

            var limit = parseResult.GetValue(waitTimeout) is { } w ? DurationParser.Parse(w, "--wait-timeout") : Timeout.InfiniteTimeSpan;
            var progress = ProgressLine.ForStandardError();
            var final = await JobFollower.FollowAsync(connection, settings.Store.DatabasePath, jobId, limit, progress.Show, cancellationToken);
            progress.Finish();
            if (final is null)
            {
                await Console.Error.WriteLineAsync($"Job {jobId} has not finished within --wait-timeout; it stays in the queue.");
                Console.WriteLine(jobId);
                return ExitCodes.Failure;
            }

            Console.WriteLine(JobJson.Compact(final));
            return final.Status == JobStatus.Completed ? ExitCodes.Ok : ExitCodes.Failure;
        });
        return command;
    }

    internal static JsonObject BuildParams(string? json, IEnumerable<string> pairs)
    {
        JsonObject parameters;
        try
        {
            parameters = json is null ? [] : JobParameters.ParseValue(json) as JsonObject ?? throw new UsageException("--params must be a JSON object, e.g. '{\"seconds\": 1}'.");
        }
        catch (DuplicateKeyException ex)
        {
            throw new UsageException($"--{ex.Message}.", ex);
        }
        catch (JsonException ex)
        {
            throw new UsageException($"--params is not valid JSON: {ex.Message}", ex);
        }

        foreach (var pair in pairs)
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new UsageException($"--param '{pair}' must look like key=value.");
            }

            var value = pair[(eq + 1)..];
            JsonNode? node;
            try
            {
                node = JobParameters.ParseValue(value, $"params.{pair[..eq]}");
            }
            catch (DuplicateKeyException ex)
            {
                throw new UsageException($"--param {pair[..eq]}: {ex.Message}.", ex);
            }
            catch (JsonException)
            {
                node = JsonValue.Create(value);
            }

            parameters[pair[..eq]] = node;
        }

        return parameters;
    }
}
