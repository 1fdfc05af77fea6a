using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using MediaWorker.Webhooks;

namespace MediaWorker.Cli;

/// <summary><c>mediaworker webhooks add|list|remove|rotate|test|deliveries</c>: webhook endpoints and their delivery log (docs/webhooks.md).</summary>
public static class WebhooksCommand
{
    public static Command Create()
    {
        var command = new Command("webhooks", "Webhook endpoints: signed job events, delivered through the queue (docs/webhooks.md).");
        command.Subcommands.Add(Add());
        command.Subcommands.Add(Sub("list", "List the endpoints (never their secrets).", null, (a, _, _) => Print(a.List())));
        command.Subcommands.Add(Sub("remove", "Remove an endpoint; its delivery log stays, its queued deliveries fail.", Id(), (a, p, id) =>
        {
            a.Remove(p.GetValue(id!)!);
            Console.WriteLine($"{p.GetValue(id!)} removed");
            return ExitCodes.Ok;
        }));
        command.Subcommands.Add(Rotate());
        command.Subcommands.Add(Sub("test", "Queue a webhook.test event to the endpoint (a running worker delivers it); prints its delivery id.", Id(), (a, p, id) =>
        {
            Console.WriteLine(a.Test(p.GetValue(id!)!));
            return ExitCodes.Ok;
        }));
        command.Subcommands.Add(Deliveries());
        return command;
    }

    private static Argument<string> Id() => new("id") { Description = "The endpoint id (wh_…, or settings)." };

    private static Command Add()
    {
        var url = new Option<string>("--url") { Description = "Where to POST; must start with one of WEBHOOK_ALLOWED_URL_PREFIXES.", Required = true };
        var secret = new Option<string>("--secret") { Description = "The signing secret: whsec_<base64> (Standard Webhooks) or any text of 16 bytes or more.", Required = true };
        var events = new Option<string?>("--events") { Description = "Comma list of processing,progress,completed,failed,cancelled,retrying (default: all)." };
        var tasks = new Option<string?>("--tasks") { Description = "Comma list of task types whose events are sent (default: all)." };
        var add = Sub("add", "Add an endpoint; prints it as JSON (without the secret).", null, (a, p, _) =>
        {
            Console.WriteLine(WebhookActions.ToJson(a.Add(p.GetValue(url)!, p.GetValue(secret)!, p.GetValue(events), p.GetValue(tasks))).ToJsonString());
            return ExitCodes.Ok;
        });
        add.Options.Add(url);
        add.Options.Add(secret);
        add.Options.Add(events);
        add.Options.Add(tasks);
        return add;
    }

    private static Command Rotate()
    {
        var secret = new Option<string?>("--secret") { Description = "The new secret; the current one keeps signing beside it." };
        var finish = new Option<bool>("--finish") { Description = "End the rotation: only the current secret signs." };
        var rotate = Sub("rotate", "Rotate the signing secret: both secrets sign until --finish.", Id(), (a, p, id) =>
        {
            var endpoint = p.GetValue(finish) ? a.FinishRotation(p.GetValue(id!)!)
                : a.Rotate(p.GetValue(id!)!, p.GetValue(secret) ?? throw new UsageException("Give --secret NEW to start a rotation, or --finish to end one."));
            Console.WriteLine(WebhookActions.ToJson(endpoint).ToJsonString());
            return ExitCodes.Ok;
        });
        rotate.Options.Add(secret);
        rotate.Options.Add(finish);
        return rotate;
    }

    private static Command Deliveries()
    {
        var limit = new Option<int>("--limit") { Description = "At most this many rows, newest first.", DefaultValueFactory = _ => 50 };
        var json = new Option<bool>("--json") { Description = "One JSON array instead of a table." };
        var deliveries = Sub("deliveries", "The endpoint's delivery log: status, attempts, last response code.", Id(), (a, p, id) =>
        {
            var rows = a.Deliveries(p.GetValue(id!)!, p.GetValue(limit));
            if (p.GetValue(json))
            {
                Console.WriteLine(new JsonArray([.. rows.Select(r => (JsonNode)WebhookActions.ToJson(r))]).ToJsonString());
                return ExitCodes.Ok;
            }

            Console.WriteLine($"{"DELIVERY ID",-36}  {"EVENT",-10}  {"JOB ID",-36}  {"STATUS",-10}  {"TRY",3}  {"CODE",4}  {"CREATED",-19}  ERROR");
            foreach (var r in rows)
            {
                var created = DateTimeOffset.FromUnixTimeMilliseconds(r.CreatedAt).ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
                var error = r.Error is { } e ? (e.Length > 60 ? e[..57] + "..." : e) : string.Empty;
                Console.WriteLine($"{r.DeliveryId,-36}  {r.Event,-10}  {r.SourceJobId,-36}  {(r.Held ? "held" : r.Status),-10}  {r.Attempts,3}  {r.LastCode?.ToString(CultureInfo.InvariantCulture) ?? "-",4}  {created,-19}  {error}");
            }

            return ExitCodes.Ok;
        });
        deliveries.Options.Add(limit);
        deliveries.Options.Add(json);
        return deliveries;
    }

    private static Command Sub(string name, string description, Argument<string>? id, Func<WebhookActions, ParseResult, Argument<string>?, int> action)
    {
        var command = new Command(name, description);
        if (id is not null)
        {
            command.Arguments.Add(id);
        }

        var settingsOptions = SettingsOptions.ForDatabase(command);
        command.SetAction(parseResult =>
        {
            var source = CommandContext.Source(settingsOptions, parseResult);
            var settings = CommandContext.LoadDatabaseSettings(settingsOptions, parseResult);
            using var connection = CommandContext.OpenDatabase(settings);
            return action(new WebhookActions(connection, WebhookSettings.Load(source).AllowedUrls, CommandContext.Now), parseResult, id);
        });
        return command;
    }

    private static int Print(IReadOnlyList<Webhooks.Subscriptions.WebhookEndpoint> endpoints)
    {
        Console.WriteLine($"{"ID",-19}  {"STATE",-8}  {"EVENTS",-24}  {"TASKS",-16}  URL");
        foreach (var e in endpoints)
        {
            var state = e.DisabledAt is not null ? "disabled" : e.Rotating ? "rotating" : "active";
            var events = e.Events.Count == 0 ? "all" : string.Join(',', e.Events);
            var tasks = e.TaskTypes.Count == 0 ? "all" : string.Join(',', e.TaskTypes);
            Console.WriteLine($"{e.Id,-19}  {state,-8}  {events,-24}  {tasks,-16}  {e.Url}{(e.DisabledReason is { } why ? "  (" + why + ")" : string.Empty)}");
        }

        return ExitCodes.Ok;
    }
}
