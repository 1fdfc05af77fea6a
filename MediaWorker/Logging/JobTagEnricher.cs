using Serilog.Core;
using Serilog.Events;

namespace MediaWorker.Logging;

/// <summary>
/// Adds a <c>JobTag</c> property (" job_id=… task_type=…") for the text format, so job lines show
/// which job they belong to while other lines stay clean. The JSON format carries the two
/// properties themselves.
/// </summary>
public sealed class JobTagEnricher : ILogEventEnricher
{
    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        ArgumentNullException.ThrowIfNull(propertyFactory);
        var tag = logEvent.Properties.TryGetValue("job_id", out var jobId) && jobId is ScalarValue { Value: string id }
            ? $" job_id={id} task_type={(logEvent.Properties.TryGetValue("task_type", out var type) && type is ScalarValue { Value: string t } ? t : "?")}"
            : string.Empty;
        logEvent.AddPropertyIfAbsent(propertyFactory.CreateProperty("JobTag", tag));
    }
}
