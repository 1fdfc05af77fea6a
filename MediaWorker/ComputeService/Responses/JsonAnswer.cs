using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace MediaWorker.ComputeService.Responses;

/// <summary>Writes a JSON body; every answer of the API goes through here (one content type, UTF-8).</summary>
internal static class JsonAnswer
{
    public static async Task WriteAsync(HttpResponse response, JsonNode body)
    {
        response.ContentType = "application/json";
        await response.WriteAsync(body.ToJsonString(), response.HttpContext.RequestAborted);
    }

    public static IResult Ok(JsonNode body) => new JsonNodeResult(200, body);

    private sealed class JsonNodeResult(int statusCode, JsonNode body) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = statusCode;
            return WriteAsync(httpContext.Response, body);
        }
    }
}
