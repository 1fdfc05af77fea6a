using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace MediaWorker.Pipelines.Definitions;

/// <summary>
/// Turns a YAML definition into the JSON tree a JSON definition parses to, so both are read by
/// the same <see cref="DefinitionReader"/> and checked by the same validator. Scalars follow the
/// YAML 1.2 core schema (<c>true</c>, <c>null</c>, <c>~</c>, numbers; <c>yes</c> and <c>on</c> are
/// strings, as in YAML 1.2); quoted scalars are strings. Anchors and aliases are expanded; merge
/// keys, custom tags, several documents, duplicate keys and values JSON cannot hold (<c>.inf</c>)
/// are refused. The line of every key and list item is kept for the error messages.
/// </summary>
internal static partial class YamlDefinition
{
    /// <summary>Nodes one definition may expand to: aliases of aliases grow exponentially ("billion laughs").</summary>
    private const int MaxNodes = 100_000;

    private const string CoreTag = "tag:yaml.org,2002:";

    /// <summary>The tree (as JSON parses it, so values behave exactly as a JSON file's do), or the error with its line.</summary>
    public static (JsonNode? Root, SourceLines Lines, string? Error) Read(string yaml)
    {
        var lines = new SourceLines();
        try
        {
            var parser = new Parser(new StringReader(yaml));
            parser.Consume<StreamStart>();
            if (parser.Accept<StreamEnd>(out _))
            {
                return (null, lines, "the definition is empty");
            }

            parser.Consume<DocumentStart>();
            var root = new TreeBuilder(parser, lines).Read("");
            parser.Consume<DocumentEnd>();
            if (!parser.Accept<StreamEnd>(out _))
            {
                throw new YamlDefinitionException(parser.Current?.Start.Line ?? 0, "the file holds more than one YAML document; a definition is one");
            }

            // Parsing the written JSON gives values the same kinds and conversions as a JSON definition's.
            return (root is null ? null : JsonNode.Parse(root.ToJsonString()), lines, null);
        }
        catch (YamlDefinitionException ex)
        {
            return (null, lines, ex.Line > 0 ? $"line {ex.Line}: {ex.Message}" : ex.Message);
        }
        catch (YamlException ex)
        {
            return (null, lines, $"line {ex.Start.Line}: the definition is not valid YAML: {ex.Message}");
        }
        catch (InvalidOperationException ex)
        {
            // YamlDotNet's scanner throws this (without a position) on some broken input.
            return (null, lines, $"the definition is not valid YAML: {ex.Message}");
        }
    }

    private sealed class TreeBuilder(IParser parser, SourceLines lines)
    {
        private readonly Dictionary<string, JsonNode?> _anchors = new(StringComparer.Ordinal);
        private int _nodes;

        public JsonNode? Read(string path)
        {
            var current = parser.Current ?? throw new YamlDefinitionException(0, "the YAML ends in the middle of a value");
            Count(1, current.Start.Line);
            switch (current)
            {
                case Scalar scalar:
                    parser.MoveNext();
                    return Anchor(scalar, Value(scalar));
                case AnchorAlias alias:
                    parser.MoveNext();
                    if (!_anchors.TryGetValue(alias.Value.Value, out var target))
                    {
                        throw new YamlDefinitionException(alias.Start.Line, $"the alias *{alias.Value.Value} refers to no anchor before it");
                    }

                    Count(Size(target), alias.Start.Line);
                    return target?.DeepClone();
                case SequenceStart sequence:
                    CheckTag(sequence, "seq");
                    parser.MoveNext();
                    var array = new JsonArray();
                    while (!parser.TryConsume<SequenceEnd>(out _))
                    {
                        var item = $"{path}[{array.Count}]";
                        lines.Add(item, parser.Current!.Start.Line);
                        array.Add(Read(item));
                    }

                    return Anchor(sequence, array);
                case MappingStart mapping:
                    CheckTag(mapping, "map");
                    parser.MoveNext();
                    var obj = new JsonObject();
                    while (!parser.TryConsume<MappingEnd>(out _))
                    {
                        if (parser.Current is not Scalar key)
                        {
                            throw new YamlDefinitionException(parser.Current!.Start.Line, "a key must be a plain name, not a list or a mapping");
                        }

                        var line = key.Start.Line;
                        if (key.Value == "<<" && key.Style == ScalarStyle.Plain)
                        {
                            throw new YamlDefinitionException(line, "merge keys (<<) are not supported; write the fields out, or use an alias (*name) for a whole value");
                        }

                        if (obj.ContainsKey(key.Value))
                        {
                            throw new YamlDefinitionException(line, $"the key '{key.Value}' appears twice in the same mapping");
                        }

                        parser.MoveNext();
                        var field = path.Length == 0 ? key.Value : $"{path}.{key.Value}";
                        lines.Add(field, line);
                        obj[key.Value] = Read(field);
                    }

                    return Anchor(mapping, obj);
                default:
                    throw new YamlDefinitionException(current.Start.Line, $"unexpected {current.GetType().Name} in the YAML");
            }
        }

        private JsonNode? Anchor(NodeEvent node, JsonNode? value)
        {
            if (!node.Anchor.IsEmpty)
            {
                _anchors[node.Anchor.Value] = value;
            }

            return value;
        }

        private void Count(int nodes, long line)
        {
            _nodes += nodes;
            if (_nodes > MaxNodes)
            {
                throw new YamlDefinitionException(line, $"the definition expands to more than {MaxNodes} values (aliases of aliases?)");
            }
        }

        private static int Size(JsonNode? node) => node switch
        {
            JsonObject obj => 1 + obj.Sum(p => Size(p.Value)),
            JsonArray array => 1 + array.Sum(Size),
            _ => 1,
        };

        private static void CheckTag(NodeEvent node, string kind)
        {
            if (!node.Tag.IsEmpty && !node.Tag.IsNonSpecific && node.Tag.Value != CoreTag + kind)
            {
                throw new YamlDefinitionException(node.Start.Line, $"the tag {node.Tag.Value} is not supported here");
            }
        }

        private static JsonValue? Value(Scalar scalar)
        {
            var text = scalar.Value;
            var line = scalar.Start.Line;
            if (!scalar.Tag.IsEmpty && !scalar.Tag.IsNonSpecific)
            {
                return scalar.Tag.Value switch
                {
                    CoreTag + "str" => JsonValue.Create(text),
                    CoreTag + "null" => null,
                    CoreTag + "bool" => Plain(text) is JsonValue b && b.GetValueKind() is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False ? b : throw Invalid(line, text, "a boolean"),
                    CoreTag + "int" => IntegerPattern().IsMatch(text) ? Plain(text) : throw Invalid(line, text, "an integer"),
                    CoreTag + "float" => Plain(text) is JsonValue n && n.GetValueKind() == System.Text.Json.JsonValueKind.Number ? n : throw Invalid(line, text, "a number"),
                    _ => throw new YamlDefinitionException(line, $"the tag {scalar.Tag.Value} is not supported; use plain values, quoted strings, lists and mappings"),
                };
            }

            if (scalar.Style != ScalarStyle.Plain || !scalar.Tag.IsEmpty)
            {
                return JsonValue.Create(text); // quoted, a block scalar (| or >), or the non-specific tag '!'
            }

            if (text is ".inf" or ".Inf" or ".INF" or "+.inf" or "-.inf" or "+.Inf" or "-.Inf" or "+.INF" or "-.INF" or ".nan" or ".NaN" or ".NAN")
            {
                throw new YamlDefinitionException(line, $"'{text}' is not a number a definition can hold; quote it to mean the text");
            }

            return Plain(text);
        }

        /// <summary>The YAML 1.2 core schema's reading of a plain scalar.</summary>
        private static JsonValue? Plain(string text)
        {
            switch (text)
            {
                case "" or "~" or "null" or "Null" or "NULL":
                    return null;
                case "true" or "True" or "TRUE":
                    return JsonValue.Create(true);
                case "false" or "False" or "FALSE":
                    return JsonValue.Create(false);
            }

            if (IntegerPattern().IsMatch(text))
            {
                return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole)
                    ? JsonValue.Create(whole)
                    : JsonValue.Create(double.Parse(text, CultureInfo.InvariantCulture));
            }

            if (text.StartsWith("0x", StringComparison.Ordinal) && long.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex))
            {
                return JsonValue.Create(hex);
            }

            if (OctalPattern().IsMatch(text))
            {
                return JsonValue.Create(Convert.ToInt64(text[2..], 8));
            }

            return FloatPattern().IsMatch(text) ? JsonValue.Create(double.Parse(text, CultureInfo.InvariantCulture)) : JsonValue.Create(text);
        }

        private static YamlDefinitionException Invalid(long line, string text, string what) => new(line, $"'{text}' is tagged as {what} but is not one");
    }

    [GeneratedRegex("^[-+]?[0-9]+$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex("^0o[0-7]{1,21}$")]
    private static partial Regex OctalPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();

    private sealed class YamlDefinitionException(long line, string message) : Exception(message)
    {
        public long Line { get; } = line;
    }
}
