using MediaWorker.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace MediaWorker.Http.Metrics;

/// <summary>
/// Exports the <see cref="WorkerMetrics.MeterName"/> meter: always as Prometheus text on <c>/metrics</c>,
/// and over OTLP too when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (the exporter reads the standard
/// OTEL_* variables).
/// </summary>
internal static class MetricsExport
{
    public const string Path = "/metrics";

    public static void AddMetrics(this WebApplicationBuilder builder, string serviceInstance, string? otlpEndpoint)
    {
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("mediaworker", serviceInstanceId: serviceInstance))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(WorkerMetrics.MeterName);
                metrics.AddPrometheusExporter(options => options.ScrapeResponseCacheDurationMilliseconds = 0);
                if (!string.IsNullOrWhiteSpace(otlpEndpoint))
                {
                    metrics.AddOtlpExporter(options => options.Endpoint = new Uri(otlpEndpoint));
                }
            });
    }

    public static void MapMetrics(this WebApplication app) => app.MapPrometheusScrapingEndpoint(Path);
}
