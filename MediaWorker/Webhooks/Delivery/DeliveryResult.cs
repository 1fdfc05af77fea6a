using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using MediaWorker.Storage;

namespace MediaWorker.Webhooks.Delivery;

/// <summary>
/// How a delivery's response is written into its job row, and read back for the delivery log:
/// a delivered one's output is <c>{"status_code": 204, ...}</c>; a failed or retrying one's error
/// message starts with <c>HTTP 503 from URL: body excerpt</c>.
/// </summary>
public static partial class DeliveryResult
{
    /// <summary>Bytes of a response body kept in the log; the rest is never read.</summary>
    public const int ExcerptBytes = 512;

    public static string Failure(int statusCode, Uri url, string excerpt, string? advice = null) =>
        string.Create(CultureInfo.InvariantCulture, $"HTTP {statusCode} from {url}{(advice is null ? string.Empty : " (" + advice + ")")}: {(excerpt.Length == 0 ? "(empty body)" : excerpt)}");

    /// <summary>The response code an outcome carries, if a response arrived.</summary>
    public static int? StatusCodeOf(JobOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        if (outcome.Kind == OutcomeKind.Completed && outcome.OutputJson is { } output)
        {
            using var document = JsonDocument.Parse(output);
            return document.RootElement.TryGetProperty("status_code", out var code) && code.TryGetInt32(out var value) ? value : null;
        }

        return StatusCodeOf(outcome.ErrorMessage);
    }

    public static int? StatusCodeOf(string? errorMessage) =>
        errorMessage is not null && FailurePrefix().Match(errorMessage) is { Success: true } match
            ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)
            : null;

    [GeneratedRegex(@"^HTTP (\d{3}) ")]
    private static partial Regex FailurePrefix();
}
