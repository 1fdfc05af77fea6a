using System.Text.Json.Nodes;

namespace MediaWorker.ComputeService.Responses;

/// <summary>
/// Collects form field errors and answers them as FastAPI's 422:
/// <c>{"detail":[{"type","loc":["body",field],"msg","input"}]}</c>.
/// </summary>
public sealed class FieldErrors
{
    private readonly JsonArray _errors = [];

    public bool Any => _errors.Count > 0;

    public void Add(string field, string type, string message, string? input)
    {
        _errors.Add(new JsonObject
        {
            ["type"] = type,
            ["loc"] = new JsonArray("body", field),
            ["msg"] = message,
            ["input"] = input,
        });
    }

    public void Missing(string field) => Add(field, "missing", "Field required", null);

    /// <summary>A 422 for one field.</summary>
    public static ApiException One(string field, string message, string type = "value_error", string? input = null)
    {
        var errors = new FieldErrors();
        errors.Add(field, type, message, input);
        return errors.ToException();
    }

    public ApiException ToException() =>
        new(422, _errors.DeepClone(), string.Join("; ", _errors.Select(e => $"{e!["loc"]![1]}: {e["msg"]}")));

    public void ThrowIfAny()
    {
        if (Any)
        {
            throw ToException();
        }
    }
}
