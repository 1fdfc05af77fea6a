using System.Text.Json.Nodes;

namespace MediaWorker.ComputeService.Responses;

/// <summary>
/// A refusal the API answers as FastAPI does: the status code and <c>{"detail": ...}</c>, where the
/// detail is a sentence or, for 422, the list of field errors.
/// </summary>
public sealed class ApiException : Exception
{
    public ApiException(int statusCode, string detail)
        : base(detail)
    {
        StatusCode = statusCode;
        Detail = JsonValue.Create(detail);
    }

    public ApiException(int statusCode, JsonNode detail, string message)
        : base(message)
    {
        StatusCode = statusCode;
        Detail = detail;
    }

    public ApiException()
        : this(500, "Internal error")
    {
    }

    public ApiException(string message)
        : this(500, message)
    {
    }

    public ApiException(string message, Exception innerException)
        : base(message, innerException)
    {
        StatusCode = 500;
        Detail = JsonValue.Create(message);
    }

    public int StatusCode { get; }

    public JsonNode Detail { get; }

    /// <summary>Sent with a 401, as the seed does: <c>WWW-Authenticate: Bearer</c>.</summary>
    public bool Challenge { get; init; }

    public static ApiException NotFound(string detail) => new(404, detail);

    public static ApiException Unauthorized(string detail) => new(401, detail) { Challenge = true };

    public static ApiException Forbidden(string detail) => new(403, detail);

    public static ApiException BadRequest(string detail) => new(400, detail);
}
