using MediaWorker.Configuration;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Events;
using Serilog.Extensions.Logging;
using Serilog.Formatting.Json;

namespace MediaWorker.Logging;

/// <summary>Builds the process's Serilog pipeline from <see cref="LogSettings"/> (console text or JSON lines, optional rolling file).</summary>
public static class LoggingSetup
{
    private const string TextTemplate = "[{Timestamp:HH:mm:ss.fff} {Level:u3}] {Message:lj}{JobTag}{NewLine}{Exception}";

    /// <summary>Under systemd: journald stamps the time itself and reads the priority from the line's prefix.</summary>
    private const string JournalTemplate = "{SyslogPriority}{Message:lj}{JobTag}{NewLine}{Exception}";

    /// <summary>True when stderr goes to the journal (systemd sets JOURNAL_STREAM for a service's output).</summary>
    public static bool WritesToJournal => Environment.GetEnvironmentVariable("JOURNAL_STREAM") is { Length: > 0 };

    public static ILoggerFactory Create(LogSettings settings)
    {
        var configuration = new LoggerConfiguration()
            .MinimumLevel.Is(ParseLevel(settings.Level))
            .Enrich.FromLogContext()
            .Enrich.With<JobTagEnricher>()
            .Enrich.With<SyslogPriorityEnricher>();
        var consoleTemplate = WritesToJournal ? JournalTemplate : TextTemplate;
        // Logs go to stderr: stdout belongs to command output (job ids, JSON rows) that scripts parse.
        configuration = settings.Format == "json"
            ? configuration.WriteTo.Console(new JsonFormatter(renderMessage: true), standardErrorFromLevel: LogEventLevel.Verbose)
            : configuration.WriteTo.Console(outputTemplate: consoleTemplate, standardErrorFromLevel: LogEventLevel.Verbose, formatProvider: System.Globalization.CultureInfo.InvariantCulture);
        if (settings.File is { Length: > 0 } file)
        {
            configuration = settings.Format == "json"
                ? configuration.WriteTo.File(new JsonFormatter(renderMessage: true), file, rollingInterval: RollingInterval.Day, retainedFileCountLimit: 14)
                : configuration.WriteTo.File(file, outputTemplate: TextTemplate, rollingInterval: RollingInterval.Day, retainedFileCountLimit: 14, formatProvider: System.Globalization.CultureInfo.InvariantCulture);
        }

        return new SerilogLoggerFactory(configuration.CreateLogger(), dispose: true);
    }

    public static LogEventLevel ParseLevel(string level) => level switch
    {
        "verbose" => LogEventLevel.Verbose,
        "debug" => LogEventLevel.Debug,
        "warning" => LogEventLevel.Warning,
        "error" => LogEventLevel.Error,
        "fatal" => LogEventLevel.Fatal,
        _ => LogEventLevel.Information,
    };
}
