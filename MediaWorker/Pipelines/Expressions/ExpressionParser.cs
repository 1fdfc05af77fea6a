using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace MediaWorker.Pipelines.Expressions;

/// <summary>
/// Parses the pipeline expression language (docs/pipelines.md): literals, the roots <c>input</c>,
/// <c>steps</c>, <c>item</c>, <c>index</c> and <c>run</c>, member and index access, comparisons,
/// <c>and</c>/<c>or</c>/<c>not</c>, <c>??</c> and the functions <c>length</c> and <c>exists</c>.
/// Nothing else: there is no assignment, no user function and no way to run code.
/// </summary>
public static class ExpressionParser
{
    /// <summary>The names an expression may start with.</summary>
    public static readonly IReadOnlySet<string> Roots = new HashSet<string>(StringComparer.Ordinal) { "input", "steps", "item", "index", "run" };

    /// <summary>The built-in functions and how many arguments each takes.</summary>
    public static readonly IReadOnlyDictionary<string, int> Functions = new Dictionary<string, int>(StringComparer.Ordinal) { ["length"] = 1, ["exists"] = 1 };

    /// <exception cref="ExpressionException">The text is not a valid expression; the message says where and why.</exception>
    public static Expression Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parser = new Parser(Tokenize(text), text);
        var expression = parser.ParseOr();
        parser.ExpectEnd();
        return expression;
    }

    private enum Kind
    {
        Name,
        Number,
        String,
        Symbol,
        End,
    }

    private readonly record struct Token(Kind Kind, string Text, int Position);

    private static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (char.IsAsciiLetter(c) || c == '_')
            {
                var start = i;
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_'))
                {
                    i++;
                }

                tokens.Add(new Token(Kind.Name, text[start..i], start));
            }
            else if (char.IsAsciiDigit(c) || (c == '-' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1]) && StartsOperand(tokens)))
            {
                var start = i++;
                while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.'))
                {
                    i++;
                }

                tokens.Add(new Token(Kind.Number, text[start..i], start));
            }
            else if (c is '\'' or '"')
            {
                var start = i;
                tokens.Add(new Token(Kind.String, ReadString(text, ref i), start));
            }
            else
            {
                var two = i + 1 < text.Length ? text.Substring(i, 2) : string.Empty;
                if (two is "==" or "!=" or "<=" or ">=" or "??")
                {
                    tokens.Add(new Token(Kind.Symbol, two, i));
                    i += 2;
                }
                else if (two is "&&" or "||")
                {
                    throw Error(text, i, $"'{two}' is not an operator here; write '{(two == "&&" ? "and" : "or")}'");
                }
                else if (c is '<' or '>' or '(' or ')' or '[' or ']' or '.' or ',')
                {
                    tokens.Add(new Token(Kind.Symbol, c.ToString(), i));
                    i++;
                }
                else if (c == '!')
                {
                    throw Error(text, i, "'!' is not an operator here; write 'not'");
                }
                else
                {
                    throw Error(text, i, $"unexpected character '{c}'");
                }
            }
        }

        tokens.Add(new Token(Kind.End, string.Empty, text.Length));
        return tokens;
    }

    /// <summary>A '-' is a number's sign only where an operand may start (not after a value: a - 1 has no meaning here).</summary>
    private static bool StartsOperand(List<Token> tokens) =>
        tokens.Count == 0 || tokens[^1] is { Kind: Kind.Symbol, Text: not (")" or "]") } or { Kind: Kind.Name, Text: "and" or "or" or "not" };

    private static string ReadString(string text, ref int i)
    {
        var quote = text[i];
        var start = i++;
        var value = new StringBuilder();
        while (i < text.Length && text[i] != quote)
        {
            if (text[i] == '\\' && i + 1 < text.Length)
            {
                i++;
                value.Append(text[i] switch { 'n' => '\n', 't' => '\t', _ => text[i] });
            }
            else
            {
                value.Append(text[i]);
            }

            i++;
        }

        if (i >= text.Length)
        {
            throw Error(text, start, "the string is not closed");
        }

        i++;
        return value.ToString();
    }

    private static ExpressionException Error(string text, int position, string problem) =>
        new($"{problem} at position {position + 1} of '{text}'");

    private sealed class Parser(List<Token> tokens, string text)
    {
        private int _at;

        private Token Current => tokens[_at];

        public void ExpectEnd()
        {
            if (Current.Kind != Kind.End)
            {
                throw Error(text, Current.Position, $"unexpected '{Current.Text}'");
            }
        }

        public Expression ParseOr()
        {
            var left = ParseAnd();
            while (IsWord("or"))
            {
                _at++;
                left = new BinaryExpression("or", left, ParseAnd());
            }

            return left;
        }

        private Expression ParseAnd()
        {
            var left = ParseNot();
            while (IsWord("and"))
            {
                _at++;
                left = new BinaryExpression("and", left, ParseNot());
            }

            return left;
        }

        private Expression ParseNot()
        {
            if (IsWord("not"))
            {
                _at++;
                return new NotExpression(ParseNot());
            }

            return ParseComparison();
        }

        private Expression ParseComparison()
        {
            var left = ParseCoalesce();
            if (Current is { Kind: Kind.Symbol, Text: "==" or "!=" or "<" or "<=" or ">" or ">=" } op)
            {
                _at++;
                var right = ParseCoalesce();
                if (Current is { Kind: Kind.Symbol, Text: "==" or "!=" or "<" or "<=" or ">" or ">=" } again)
                {
                    throw Error(text, again.Position, "comparisons do not chain; join them with 'and'");
                }

                return new BinaryExpression(op.Text, left, right);
            }

            return left;
        }

        private Expression ParseCoalesce()
        {
            var left = ParsePostfix();
            while (Current is { Kind: Kind.Symbol, Text: "??" })
            {
                _at++;
                left = new BinaryExpression("??", left, ParsePostfix());
            }

            return left;
        }

        private Expression ParsePostfix()
        {
            var expression = ParsePrimary();
            while (true)
            {
                if (Current is { Kind: Kind.Symbol, Text: "." })
                {
                    _at++;
                    if (Current.Kind != Kind.Name)
                    {
                        throw Error(text, Current.Position, "a name must follow '.'");
                    }

                    expression = new MemberExpression(expression, tokens[_at++].Text);
                }
                else if (Current is { Kind: Kind.Symbol, Text: "[" })
                {
                    _at++;
                    var index = ParseOr();
                    Expect("]");
                    expression = new IndexExpression(expression, index);
                }
                else
                {
                    return expression;
                }
            }
        }

        private Expression ParsePrimary()
        {
            var token = Current;
            switch (token.Kind)
            {
                case Kind.Number:
                    _at++;
                    if (!double.TryParse(token.Text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
                    {
                        throw Error(text, token.Position, $"'{token.Text}' is not a number");
                    }

                    return new LiteralExpression(number == Math.Floor(number) && Math.Abs(number) < 1e15 ? JsonValue.Create((long)number) : JsonValue.Create(number));
                case Kind.String:
                    _at++;
                    return new LiteralExpression(JsonValue.Create(token.Text));
                case Kind.Symbol when token.Text == "(":
                    _at++;
                    var inner = ParseOr();
                    Expect(")");
                    return inner;
                case Kind.Name:
                    _at++;
                    return token.Text switch
                    {
                        "true" => new LiteralExpression(JsonValue.Create(true)),
                        "false" => new LiteralExpression(JsonValue.Create(false)),
                        "null" => new LiteralExpression(null),
                        _ when Current is { Kind: Kind.Symbol, Text: "(" } => ParseCall(token),
                        _ when Roots.Contains(token.Text) => new RootExpression(token.Text),
                        _ => throw Error(text, token.Position, $"unknown name '{token.Text}'; an expression starts with {string.Join(", ", Roots)}, a literal or a function ({string.Join(", ", Functions.Keys)})"),
                    };
                case Kind.End:
                    throw Error(text, token.Position, "the expression ends too early");
                default:
                    throw Error(text, token.Position, $"unexpected '{token.Text}'");
            }
        }

        private CallExpression ParseCall(Token name)
        {
            if (!Functions.TryGetValue(name.Text, out var arity))
            {
                throw Error(text, name.Position, $"unknown function '{name.Text}'; the functions are {string.Join(", ", Functions.Keys)}");
            }

            _at++;
            var arguments = new List<Expression>();
            if (Current is not { Kind: Kind.Symbol, Text: ")" })
            {
                arguments.Add(ParseOr());
                while (Current is { Kind: Kind.Symbol, Text: "," })
                {
                    _at++;
                    arguments.Add(ParseOr());
                }
            }

            Expect(")");
            if (arguments.Count != arity)
            {
                throw Error(text, name.Position, $"{name.Text}() takes {arity} argument(s), not {arguments.Count}");
            }

            return new CallExpression(name.Text, arguments);
        }

        private bool IsWord(string word) => Current.Kind == Kind.Name && Current.Text == word;

        private void Expect(string symbol)
        {
            if (Current is not { Kind: Kind.Symbol } token || token.Text != symbol)
            {
                throw Error(text, Current.Position, $"expected '{symbol}'{(Current.Kind == Kind.End ? " before the end" : $" instead of '{Current.Text}'")}");
            }

            _at++;
        }
    }
}
