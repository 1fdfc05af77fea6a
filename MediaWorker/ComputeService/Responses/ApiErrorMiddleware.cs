using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace MediaWorker.ComputeService.Responses;

/// <summary>
/// Turns an <see cref="ApiException"/> into its answer, and anything else into a 500 with a one-line
/// detail (logged with its stack); a request never ends without a JSON body.
/// </summary>
internal sealed class ApiErrorMiddleware(RequestDelegate next, ILogger<ApiErrorMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (ApiException ex) when (!context.Response.HasStarted)
        {
            if (ex.Challenge)
            {
                context.Response.Headers.WWWAuthenticate = "Bearer";
            }

            await WriteAsync(context, ex.StatusCode, ex.Detail);
        }
        catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
        {
            await WriteAsync(context, ex.StatusCode, JsonValue.Create(ex.Message));
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nobody is left to answer.
        }
        catch (Exception ex) when (!context.Response.HasStarted)
        {
            logger.LogError(ex, "{Method} {Path} failed", context.Request.Method, context.Request.Path);
            await WriteAsync(context, 500, JsonValue.Create($"Internal error: {ex.Message.ReplaceLineEndings(" ")}"));
        }
    }

    public static Task WriteAsync(HttpContext context, int statusCode, JsonNode detail)
    {
        context.Response.StatusCode = statusCode;
        return JsonAnswer.WriteAsync(context.Response, new JsonObject { ["detail"] = detail });
    }
}
