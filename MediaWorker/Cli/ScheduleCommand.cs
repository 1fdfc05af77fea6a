using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using MediaWorker.Schedules;

namespace MediaWorker.Cli;

/// <summary><c>mediaworker schedule add | list | pause | resume | remove</c>: cron schedules that submit jobs (docs/schedules.md).</summary>
public static class ScheduleCommand
{
    public static Command Create()
    {
        var command = new Command("schedule", "Cron schedules that submit a job at every occurrence; every running worker starts each occurrence exactly once (docs/schedules.md).");
        command.Subcommands.Add(Add());
        command.Subcommands.Add(List());
        command.Subcommands.Add(ByName("pause", "Pause a schedule: no occurrence runs until it is resumed.", (actions, name) => Print("paused", actions.Pause(name))));
        command.Subcommands.Add(ByName("resume", "Resume a paused schedule from its next occurrence (those due while paused do not run).", (actions, name) => Print("resumed", actions.Resume(name))));
        command.Subcommands.Add(ByName("remove", "Delete a schedule; the jobs it submitted stay.", (actions, name) =>
        {
            actions.Remove(name);
            Console.WriteLine($"{name} removed");
        }));
        return command;
    }

    private static Command Add()
    {
        var command = new Command("add", "Add a schedule that submits a job of TASK at every occurrence of --cron, read in --time-zone.");
        var name = new Argument<string>("name") { Description = "The schedule's name: letters, digits, '.', '_', '-'." };
        var cron = new Option<string>("--cron") { Description = "Cron expression: 5 fields (minute hour day month weekday), 6 with seconds first, or @hourly, @daily, ...", Required = true };
        var task = new Option<string?>("--task") { Description = "The task type each occurrence submits (or --pipeline)." };
        var pipeline = new Option<string?>("--pipeline") { Description = "The stored pipeline each occurrence runs, with --params as its input (or --task)." };
        var json = new Option<string?>("--params") { Description = "Parameters as a JSON object." };
        var param = new Option<string[]>("--param") { Description = "One parameter as key=value (repeatable); the value is read as JSON when it parses, else as text." };
        var zone = new Option<string?>("--time-zone") { Description = "IANA time zone the expression is read in, e.g. Europe/Berlin (default UTC)." };
        var catchUp = new Option<string?>("--catch-up") { Description = "Occurrences missed for longer than SCHEDULE_MISFIRE_GRACE: skip (default) or run_once." };
        var priority = new Option<int>("--priority") { Description = "Priority of the submitted jobs; higher runs first.", DefaultValueFactory = _ => 5 };
        var maxRetries = new Option<int>("--max-retries") { Description = "Retries after the first attempt.", DefaultValueFactory = _ => 3 };
        var timeout = new Option<double?>("--timeout") { Description = "Seconds one attempt may run (default: the task's)." };
        var paused = new Option<bool>("--paused") { Description = "Add it paused; 'schedule resume' starts it." };
        var replace = new Option<bool>("--replace") { Description = "Redefine a schedule of that name instead of refusing." };
        command.Arguments.Add(name);
        foreach (var option in new Option[] { cron, task, pipeline, json, param, zone, catchUp, priority, maxRetries, timeout, paused, replace })
        {
            command.Options.Add(option);
        }

        var settingsOptions = SettingsOptions.ForDatabase(command);
        command.SetAction(parseResult =>
        {
            if ((parseResult.GetValue(task) is null) == (parseResult.GetValue(pipeline) is null))
            {
                throw new UsageException("Give exactly one of --task TYPE (each occurrence submits a job) and --pipeline NAME (each occurrence runs a stored pipeline).");
            }

            var request = new ScheduleRequest(
                parseResult.GetValue(name)!,
                parseResult.GetValue(cron)!,
                parseResult.GetValue(task) ?? string.Empty,
                SubmitCommand.BuildParams(parseResult.GetValue(json), parseResult.GetValue(param) ?? []))
            {
                TimeZone = parseResult.GetValue(zone),
                CatchUp = parseResult.GetValue(catchUp),
                Priority = parseResult.GetValue(priority),
                MaxRetries = parseResult.GetValue(maxRetries),
                TimeoutSeconds = parseResult.GetValue(timeout),
                Paused = parseResult.GetValue(paused),
                Pipeline = parseResult.GetValue(pipeline),
            };
            return WithActions(settingsOptions, parseResult, actions => Print("added", actions.Add(request, parseResult.GetValue(replace))));
        });
        return command;
    }

    private static Command List()
    {
        var command = new Command("list", "List the schedules: expression, zone, state, next and last run, target, last error.");
        var json = new Option<bool>("--json") { Description = "One JSON array instead of a table." };
        command.Options.Add(json);
        var settingsOptions = SettingsOptions.ForDatabase(command);
        command.SetAction(parseResult => WithActions(settingsOptions, parseResult, actions =>
        {
            var schedules = actions.List();
            if (parseResult.GetValue(json))
            {
                Console.WriteLine(new JsonArray([.. schedules.Select(s => (JsonNode)ScheduleJson.ToJson(s))]).ToJsonString());
                return;
            }

            Console.WriteLine($"{"NAME",-24}  {"CRON",-18}  {"ZONE",-16}  {"STATE",-6}  {"NEXT RUN (UTC)",-20}  {"LAST RUN (UTC)",-20}  TARGET");
            foreach (var s in schedules)
            {
                Console.WriteLine($"{s.Name,-24}  {s.Cron,-18}  {s.TimeZone,-16}  {(s.IsPaused ? "paused" : "active"),-6}  {Time(s.NextRunAt),-20}  {Time(s.LastRunAt),-20}  {Describe(s)}");
                if (s.LastError is { } error)
                {
                    Console.WriteLine($"  error: {error}");
                }
            }
        }));
        return command;
    }

    private static Command ByName(string verb, string description, Action<ScheduleActions, string> action)
    {
        var command = new Command(verb, description);
        var name = new Argument<string>("name") { Description = "The schedule's name." };
        command.Arguments.Add(name);
        var settingsOptions = SettingsOptions.ForDatabase(command);
        command.SetAction(parseResult => WithActions(settingsOptions, parseResult, actions => action(actions, parseResult.GetValue(name)!)));
        return command;
    }

    private static int WithActions(SettingsOptions settingsOptions, ParseResult parseResult, Action<ScheduleActions> action)
    {
        var settings = CommandContext.LoadDatabaseSettings(settingsOptions, parseResult);
        using var connection = CommandContext.OpenDatabase(settings);
        action(new ScheduleActions(connection, settings.Store.DatabasePath, CommandContext.Now));
        return ExitCodes.Ok;
    }

    private static void Print(string what, ScheduleRecord schedule)
    {
        var next = schedule.NextRunAt is { } at
            ? $"next run {Time(at)} UTC ({TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(at), CronSchedule.FindZone(schedule.TimeZone)):yyyy-MM-dd HH:mm:ss} {schedule.TimeZone})"
            : "no next run (paused)";
        Console.WriteLine($"{schedule.Name} {what}: {Describe(schedule)}, cron '{schedule.Cron}', catch-up {schedule.CatchUp}; {next}");
    }

    private static string Describe(ScheduleRecord schedule)
    {
        try
        {
            return ScheduleTarget.FromJson(schedule.Target).Describe();
        }
        catch (FormatException)
        {
            return schedule.Target;
        }
    }

    private static string Time(long? ms) =>
        ms is { } at ? DateTimeOffset.FromUnixTimeMilliseconds(at).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : "-";
}
