using System.Text;
using System.Text.Json.Nodes;

namespace MediaWorker.Pipelines.Expressions;

/// <summary>
/// A string with <c>${expression}</c> parts. A string that is one <c>${…}</c> and nothing else takes
/// the expression's value with its JSON type (a list stays a list); otherwise every part is turned
/// into text and joined. <c>$${</c> writes a literal <c>${</c>.
/// </summary>
public sealed class Template
{
    private readonly IReadOnlyList<(string? Text, Expression? Expression)> _parts;

    private Template(IReadOnlyList<(string? Text, Expression? Expression)> parts, IReadOnlyList<string> sources)
    {
        _parts = parts;
        Expressions = sources;
    }

    /// <summary>The expression texts inside the template, in order.</summary>
    public IReadOnlyList<string> Expressions { get; }

    /// <summary>Whether the text has any <c>${…}</c> part.</summary>
    public bool IsTemplated => _parts.Any(p => p.Expression is not null);

    /// <summary>The parsed expressions, for the validator's reference checks.</summary>
    public IEnumerable<Expression> Parsed => _parts.Where(p => p.Expression is not null).Select(p => p.Expression!);

    /// <exception cref="ExpressionException">An expression inside does not parse, or a <c>${</c> is not closed.</exception>
    public static Template Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = new List<(string?, Expression?)>();
        var sources = new List<string>();
        var literal = new StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] == '$' && i + 2 < text.Length && text[i + 1] == '$' && text[i + 2] == '{')
            {
                literal.Append("${");
                i += 3;
                continue;
            }

            if (text[i] == '$' && i + 1 < text.Length && text[i + 1] == '{')
            {
                var end = ClosingBrace(text, i + 2);
                if (end < 0)
                {
                    throw new ExpressionException($"'${{' at position {i + 1} of '{text}' is not closed with '}}'");
                }

                if (literal.Length > 0)
                {
                    parts.Add((literal.ToString(), null));
                    literal.Clear();
                }

                var source = text[(i + 2)..end].Trim();
                sources.Add(source);
                parts.Add((null, ExpressionParser.Parse(source)));
                i = end + 1;
                continue;
            }

            literal.Append(text[i]);
            i++;
        }

        if (literal.Length > 0)
        {
            parts.Add((literal.ToString(), null));
        }

        return new Template(parts, sources);
    }

    /// <summary>Renders the template: one whole <c>${…}</c> keeps its type, anything else is text.</summary>
    public JsonNode? Render(ExpressionScope scope)
    {
        if (_parts.Count == 1 && _parts[0].Expression is { } only)
        {
            return ExpressionEvaluator.Evaluate(only, scope);
        }

        var text = new StringBuilder();
        foreach (var (literal, expression) in _parts)
        {
            text.Append(expression is null ? literal : ExpressionEvaluator.ToText(ExpressionEvaluator.Evaluate(expression, scope)));
        }

        return JsonValue.Create(text.ToString());
    }

    /// <summary>Renders every string in a JSON value (objects and lists recursively); other values are copied.</summary>
    /// <param name="value">The value from the definition.</param>
    /// <param name="scope">What the expressions read.</param>
    /// <param name="field">The value's path (params.input_path) for error messages.</param>
    /// <exception cref="ExpressionException">An expression failed; the message starts with the field.</exception>
    public static JsonNode? RenderValue(JsonNode? value, ExpressionScope scope, string field)
    {
        switch (value)
        {
            case JsonObject obj:
                var rendered = new JsonObject();
                foreach (var (key, child) in obj)
                {
                    rendered[key] = RenderValue(child, scope, $"{field}.{key}");
                }

                return rendered;
            case JsonArray array:
                var list = new JsonArray();
                for (var i = 0; i < array.Count; i++)
                {
                    list.Add(RenderValue(array[i], scope, $"{field}[{i}]"));
                }

                return list;
            case JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.String:
                var text = v.GetValue<string>();
                if (!text.Contains("${", StringComparison.Ordinal))
                {
                    return JsonValue.Create(text);
                }

                try
                {
                    return Parse(text).Render(scope);
                }
                catch (ExpressionException ex)
                {
                    throw new ExpressionException($"{field}: {ex.Message}", ex);
                }

            default:
                return value?.DeepClone();
        }
    }

    /// <summary>The '}' that closes an expression starting at <paramref name="from"/>, skipping quoted strings.</summary>
    private static int ClosingBrace(string text, int from)
    {
        char? quote = null;
        for (var i = from; i < text.Length; i++)
        {
            var c = text[i];
            if (quote is { } q)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == q)
                {
                    quote = null;
                }
            }
            else if (c is '\'' or '"')
            {
                quote = c;
            }
            else if (c == '}')
            {
                return i;
            }
        }

        return -1;
    }
}
