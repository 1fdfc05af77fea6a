using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MediaWorker.Plugins.Abstractions;

namespace MediaWorker.Plugins.Speech.Transcripts;

/// <summary>
/// transcript.json: <c>{language, duration, text, segments: [{start, end, text, no_speech_prob,
/// words: [{word, start, end, probability}]}]}</c>. The names are a contract with the Gemini plugin
/// and with producers; they never change.
/// </summary>
internal static class TranscriptJson
{
    /// <summary>The transcript as a JSON object (times rounded to milliseconds).</summary>
    public static JsonObject ToJson(Transcript transcript)
    {
        var segments = new JsonArray();
        foreach (var s in transcript.Segments)
        {
            var words = new JsonArray();
            foreach (var w in s.Words)
            {
                words.Add(new JsonObject
                {
                    ["word"] = w.Word,
                    ["start"] = Seconds(w.Start),
                    ["end"] = Seconds(w.End),
                    ["probability"] = Math.Round(w.Probability, 4),
                });
            }

            segments.Add(new JsonObject
            {
                ["start"] = Seconds(s.Start),
                ["end"] = Seconds(s.End),
                ["text"] = s.Text,
                ["no_speech_prob"] = s.NoSpeechProb is { } p ? Math.Round(p, 4) : null,
                ["words"] = words,
            });
        }

        return new JsonObject
        {
            ["language"] = transcript.Language,
            ["duration"] = Seconds(transcript.Duration),
            ["text"] = transcript.Text,
            ["segments"] = segments,
        };
    }

    /// <summary>Writes transcript.json (indented UTF-8).</summary>
    public static async Task WriteAsync(Transcript transcript, string path, CancellationToken cancellationToken)
    {
        await using var stream = File.Create(path);
        await JsonSerializer.SerializeAsync(stream, ToJson(transcript), SerializerOptions, cancellationToken);
    }

    /// <summary>Reads a transcript.json a previous job wrote.</summary>
    /// <param name="path">The resolved path.</param>
    /// <param name="shownPath">The path as the job gave it, for messages.</param>
    /// <param name="parameterName">The parameter that named the file, for messages.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="PermanentJobException">The file is not valid JSON or not a transcript.</exception>
    public static async Task<Transcript> ReadAsync(string path, string shownPath, string parameterName, CancellationToken cancellationToken)
    {
        JsonNode? root;
        try
        {
            await using var stream = File.OpenRead(path);
            root = await JsonNode.ParseAsync(stream, cancellationToken: cancellationToken);
        }
        catch (JsonException ex)
        {
            throw new PermanentJobException($"{parameterName} '{shownPath}' is not JSON ({ex.Message}); pass the transcript.json a transcribe job wrote.");
        }

        try
        {
            return Parse(root);
        }
        catch (FormatException ex)
        {
            throw new PermanentJobException($"{parameterName} '{shownPath}' is not a transcript.json: {ex.Message}.");
        }
    }

    private static readonly JsonSerializerOptions SerializerOptions = new() { WriteIndented = true };

    private static Transcript Parse(JsonNode? root)
    {
        var o = root as JsonObject ?? throw new FormatException("the top level is not an object");
        var segments = Array(o, "segments", "").Select((node, i) => ParseSegment(node, $"segments[{i}]")).ToList();
        var text = o["text"] is null ? string.Join(' ', segments.Select(s => s.Text)) : String(o, "text", "");
        var duration = o["duration"] is null ? segments.Select(s => s.End).DefaultIfEmpty(0).Max() : Number(o, "duration", "");
        return new Transcript(o["language"] is null ? "und" : String(o, "language", ""), duration, text, segments);
    }

    private static TranscriptSegment ParseSegment(JsonNode? node, string at)
    {
        var o = node as JsonObject ?? throw new FormatException($"{at} is not an object");
        var words = o["words"] is null
            ? []
            : Array(o, "words", at).Select((w, i) => ParseWord(w, $"{at}.words[{i}]")).ToList();
        double? noSpeech = o["no_speech_prob"] is null ? null : Number(o, "no_speech_prob", at);
        return new TranscriptSegment(Number(o, "start", at), Number(o, "end", at), String(o, "text", at), noSpeech, words);
    }

    private static TranscriptWord ParseWord(JsonNode? node, string at)
    {
        var o = node as JsonObject ?? throw new FormatException($"{at} is not an object");
        var probability = o["probability"] is null ? 1.0 : Number(o, "probability", at);
        return new TranscriptWord(String(o, "word", at), Number(o, "start", at), Number(o, "end", at), probability);
    }

    private static JsonArray Array(JsonObject o, string name, string at) =>
        o[name] as JsonArray ?? throw new FormatException($"{Where(at, name)} is missing or not an array");

    private static string String(JsonObject o, string name, string at) =>
        o[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw new FormatException($"{Where(at, name)} is missing or not a string");

    private static double Number(JsonObject o, string name, string at) =>
        o[name] is JsonValue v && v.TryGetValue<double>(out var d) && double.IsFinite(d) ? d : throw new FormatException($"{Where(at, name)} is missing or not a number");

    private static string Where(string at, string name) => at.Length == 0 ? name : at + "." + name;

    private static double Seconds(double value) => Math.Round(value, 3, MidpointRounding.AwayFromZero);

    /// <summary>Formats seconds for messages.</summary>
    public static string Format(double seconds) => seconds.ToString("0.###", CultureInfo.InvariantCulture);
}
