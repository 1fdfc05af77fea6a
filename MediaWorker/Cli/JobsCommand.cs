using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using MediaWorker.Storage;

namespace MediaWorker.Cli;

/// <summary><c>mediaworker jobs</c>: list jobs, newest first, with filters.</summary>
public static class JobsCommand
{
    public static Command Create()
    {
        var command = new Command("jobs", "List jobs, newest first, and the count per status.");
        var status = new Option<string?>("--status") { Description = "Only this status: queued, processing, completed, failed, cancelled." };
        var task = new Option<string?>("--task") { Description = "Only this task type." };
        var limit = new Option<int>("--limit") { Description = "At most this many rows.", DefaultValueFactory = _ => 50 };
        var json = new Option<bool>("--json") { Description = "One JSON array instead of a table." };
        status.AcceptOnlyFromAmong([.. JobStatus.All]);
        command.Options.Add(status);
        command.Options.Add(task);
        command.Options.Add(limit);
        command.Options.Add(json);
        var settingsOptions = SettingsOptions.ForDatabase(command);
        command.SetAction(parseResult =>
        {
            var settings = CommandContext.LoadDatabaseSettings(settingsOptions, parseResult);
            using var connection = CommandContext.OpenDatabase(settings);
            var rows = JobAdministration.List(connection, parseResult.GetValue(status), parseResult.GetValue(task), Math.Max(1, parseResult.GetValue(limit)));
            RowProblemsReport.Write(rows, Console.Error);
            if (parseResult.GetValue(json))
            {
                Console.WriteLine(new JsonArray([.. rows.Select(r => (JsonNode)JobJson.ToJson(r))]).ToJsonString());
                return ExitCodes.Ok;
            }

            var counts = JobAdministration.CountByStatus(connection);
            Console.WriteLine(string.Join("  ", JobStatus.All.Select(s => $"{s}: {counts.GetValueOrDefault(s)}")));
            Console.WriteLine($"{"JOB ID",-36}  {"TASK",-18}  {"STATUS",-10}  {"PROG",4}  {"TRY",5}  {"CREATED",-19}  ERROR");
            foreach (var row in rows)
            {
                var created = row.CreatedAt is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms).ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : "";
                var error = row.ErrorMessage is { } e ? (e.Length > 60 ? e[..57] + "..." : e) : "";
                Console.WriteLine($"{row.JobId,-36}  {Cut(row.TaskType, 18),-18}  {row.Status,-10}  {row.Progress,4}  {row.Attempts + "/" + (row.MaxRetries + 1),5}  {created,-19}  {error}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static string Cut(string text, int width) => text.Length > width ? text[..(width - 1)] + "…" : text;
}
