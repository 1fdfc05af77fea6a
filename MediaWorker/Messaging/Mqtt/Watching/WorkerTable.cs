using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace MediaWorker.Messaging.Mqtt.Watching;

/// <summary>Renders <see cref="WorkerRow"/>s for <c>mediaworker workers</c>: an aligned text table or one JSON array.</summary>
internal static class WorkerTable
{
    public static string Text(IReadOnlyList<WorkerRow> rows)
    {
        if (rows.Count == 0)
        {
            return "No workers announced.";
        }

        var table = new List<string[]> { new[] { "WORKER", "STATUS", "FREE/TOTAL", "LAST SEEN", "TASKS" } };
        table.AddRange(rows.Select(r => new[]
        {
            r.Worker.WorkerId,
            r.Status,
            r.Worker.MaxConcurrency is { } max ? $"{r.Worker.IdleCount}/{max}" : $"{r.Worker.IdleCount}/?",
            Ago(r.Age),
            string.Join(",", r.Worker.Capabilities),
        }));
        var widths = Enumerable.Range(0, table[0].Length - 1).Select(c => table.Max(line => line[c].Length)).ToArray();
        var text = new StringBuilder();
        foreach (var line in table)
        {
            for (var c = 0; c < widths.Length; c++)
            {
                text.Append(line[c].PadRight(widths[c] + 2));
            }

            text.AppendLine(line[^1]);
        }

        return text.ToString().TrimEnd();
    }

    public static string Json(IReadOnlyList<WorkerRow> rows) => new JsonArray([.. rows.Select(r => (JsonNode)r.ToJson())]).ToJsonString();

    private static string Ago(TimeSpan age) => age.TotalSeconds switch
    {
        < 1 => "just now",
        < 120 => string.Create(CultureInfo.InvariantCulture, $"{age.TotalSeconds:0}s ago"),
        < 7200 => string.Create(CultureInfo.InvariantCulture, $"{age.TotalMinutes:0}m ago"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{age.TotalHours:0}h ago"),
    };
}
