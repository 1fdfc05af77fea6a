using System.Text.Json.Nodes;
using MediaWorker.Cli;
using MediaWorker.JobRequests;
using Microsoft.AspNetCore.Http;

namespace MediaWorker.Http.Hosting;

/// <summary>
/// RFC 7807 problem details (<c>application/problem+json</c>) whose <c>detail</c> is the one-line message
/// the CLI prints for the same failure.
/// </summary>
public static class Problems
{
    public static IResult Result(int status, string title, string detail) => Results.Problem(detail: detail, statusCode: status, title: title);

    public static IResult BadRequest(string detail) => Result(StatusCodes.Status400BadRequest, "Bad request", detail);

    public static IResult NotFound(string detail) => Result(StatusCodes.Status404NotFound, "Not found", detail);

    /// <summary>The refusals of the shared job requests, as problems.</summary>
    public static IResult From(Exception exception) => exception switch
    {
        UsageException usage => BadRequest(usage.Message),
        Configuration.SettingsException settings => BadRequest(settings.Message),
        JobRequestException { Failure: JobRequestFailure.NotFound } missing => NotFound(missing.Message),
        JobRequestException conflict => Result(StatusCodes.Status409Conflict, "Conflict", conflict.Message),
        _ => throw new ArgumentException("Only request refusals map to problems.", nameof(exception)),
    };

    /// <summary>True for the exceptions <see cref="From"/> maps: a bad request, not a server fault.</summary>
    public static bool IsRefusal(Exception exception) =>
        exception is UsageException or Configuration.SettingsException or JobRequestException;

    /// <summary>Writes a problem straight to the response (middleware, before any endpoint ran).</summary>
    public static Task Write(HttpContext context, int status, string title, string detail)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/problem+json";
        var body = new JsonObject { ["type"] = "about:blank", ["title"] = title, ["status"] = status, ["detail"] = detail };
        return context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted);
    }
}
