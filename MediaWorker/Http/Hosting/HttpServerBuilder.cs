using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MediaWorker.Http.Hosting;

/// <summary>
/// The one way MediaWorker sets up a Kestrel server: no configuration files or environment
/// prefixes of ASP.NET's own (our settings come from <see cref="HttpSettings"/>), one listen address,
/// a request size limit, RFC 7807 problem details, and the daemon's logger (framework chatter at warning).
/// </summary>
public static class HttpServerBuilder
{
    /// <summary>A builder listening on <paramref name="settings"/>' address; add services, then build and map.</summary>
    public static WebApplicationBuilder Create(HttpSettings settings, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environments.Production,
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(new ForwardingLoggerProvider(loggerFactory));
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Services.AddProblemDetails();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = settings.MaxBodyBytes;
            kestrel.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
            Listen(kestrel, settings.Listen);
        });
        return builder;
    }

    /// <summary>The address the started server really listens on (port 0 resolved).</summary>
    public static Uri BoundAddress(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var address = app.Urls.FirstOrDefault() ?? throw new InvalidOperationException("The server has not started.");
        return new Uri(address.Replace("//[::]", "//[::1]", StringComparison.Ordinal).Replace("//0.0.0.0", "//127.0.0.1", StringComparison.Ordinal));
    }

    private static void Listen(KestrelServerOptions kestrel, ListenAddress address)
    {
        if (string.Equals(address.Host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            kestrel.ListenLocalhost(address.Port);
            return;
        }

        kestrel.Listen(IPAddress.Parse(address.Host), address.Port);
    }

    /// <summary>Hands ASP.NET's loggers to the daemon's logger factory (Serilog), which owns the sinks.</summary>
    private sealed class ForwardingLoggerProvider(ILoggerFactory factory) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => factory.CreateLogger(categoryName);

        public void Dispose()
        {
            // The factory belongs to the caller.
        }
    }
}
