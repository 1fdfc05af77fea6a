using Serilog.Core;
using Serilog.Events;

namespace MediaWorker.Logging;

/// <summary>
/// Adds <c>SyslogPriority</c>, the sd-daemon prefix (<c>&lt;3&gt;</c> error … <c>&lt;7&gt;</c> debug) that journald
/// reads from the start of a line on stderr, so <c>journalctl -p warning</c> filters our lines.
/// </summary>
public sealed class SyslogPriorityEnricher : ILogEventEnricher
{
    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        ArgumentNullException.ThrowIfNull(propertyFactory);
        var priority = logEvent.Level switch
        {
            LogEventLevel.Fatal => "<2>",
            LogEventLevel.Error => "<3>",
            LogEventLevel.Warning => "<4>",
            LogEventLevel.Information => "<6>",
            _ => "<7>",
        };
        logEvent.AddPropertyIfAbsent(propertyFactory.CreateProperty("SyslogPriority", priority));
    }
}
