using System.Text.Json.Nodes;

namespace MediaWorker.Pipelines.Expressions;

/// <summary>A parsed expression: a tree of these nodes, evaluated by <see cref="ExpressionEvaluator"/>.</summary>
public abstract record Expression;

/// <summary>A literal: number, string, true, false or null.</summary>
public sealed record LiteralExpression(JsonNode? Value) : Expression;

/// <summary>A root name: <c>input</c>, <c>steps</c>, <c>item</c>, <c>index</c>, <c>run</c>.</summary>
public sealed record RootExpression(string Name) : Expression;

/// <summary><c>target.name</c>.</summary>
public sealed record MemberExpression(Expression Target, string Name) : Expression;

/// <summary><c>target[index]</c>: a list position or an object key.</summary>
public sealed record IndexExpression(Expression Target, Expression Index) : Expression;

/// <summary><c>not operand</c>.</summary>
public sealed record NotExpression(Expression Operand) : Expression;

/// <summary>A binary operator: <c>and or == != &lt; &lt;= &gt; &gt;= ??</c>.</summary>
public sealed record BinaryExpression(string Operator, Expression Left, Expression Right) : Expression;

/// <summary>A built-in function call: <c>length(x)</c>, <c>exists(x)</c>.</summary>
public sealed record CallExpression(string Function, IReadOnlyList<Expression> Arguments) : Expression;
