namespace MediaWorker.Pipelines.Expressions;

/// <summary>How a step's <c>when</c> and <c>for_each</c> are written: a bare expression, or one wrapped in <c>${…}</c>.</summary>
public static class PipelineExpressions
{
    /// <exception cref="ExpressionException">The text does not parse.</exception>
    public static Expression ParseCondition(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        if (trimmed.StartsWith("${", StringComparison.Ordinal) && trimmed.EndsWith('}') && trimmed.IndexOf("${", 2, StringComparison.Ordinal) < 0)
        {
            trimmed = trimmed[2..^1];
        }

        return ExpressionParser.Parse(trimmed);
    }
}
