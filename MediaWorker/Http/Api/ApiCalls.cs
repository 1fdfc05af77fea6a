using System.Globalization;
using MediaWorker.Http.Hosting;
using Microsoft.AspNetCore.Http;

namespace MediaWorker.Http.Api;

/// <summary>Runs an endpoint's work and turns the shared requests' refusals into problems.</summary>
internal static class ApiCalls
{
    public static IResult Run(Func<IResult> work)
    {
        try
        {
            return work();
        }
        catch (Exception ex) when (Problems.IsRefusal(ex))
        {
            return Problems.From(ex);
        }
    }

    public static async Task<IResult> RunAsync(Func<Task<IResult>> work)
    {
        try
        {
            return await work();
        }
        catch (Exception ex) when (Problems.IsRefusal(ex))
        {
            return Problems.From(ex);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Problems.Result(StatusCodes.Status413PayloadTooLarge, "Payload too large", "The request body is larger than HTTP_MAX_BODY_BYTES allows.");
        }
    }

    /// <summary>A time parameter: epoch milliseconds or ISO 8601.</summary>
    public static long? Time(string? text, string name)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms))
        {
            return ms;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            return at.ToUnixTimeMilliseconds();
        }

        throw new Cli.UsageException($"{name}: '{text}' is not a time; use epoch milliseconds or ISO 8601 such as 2026-12-01T10:00:00Z.");
    }
}
