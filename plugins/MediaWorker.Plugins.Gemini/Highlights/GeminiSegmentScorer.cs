using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using MediaWorker.Plugins.Gemini.Api;
using MediaWorker.Plugins.Gemini.Structured;
using MediaWorker.Plugins.Gemini.Transcripts;

namespace MediaWorker.Plugins.Gemini.Highlights;

/// <summary>
/// Scores segments with a Gemini model against a rubric: the media (uploaded once) plus a list
/// of segments per call, answered as structured JSON with one entry per segment and a typed,
/// range-checked score per dimension.
/// </summary>
internal sealed class GeminiSegmentScorer(StructuredGenerator generator, string model, Rubric rubric, GeminiPart media, Transcript? transcript)
{
    /// <summary>Segments per call: enough to keep calls few, few enough for reliable per-segment answers.</summary>
    public const int BatchSize = 20;

    public async Task<(IReadOnlyList<SegmentScore> Scores, string Model, TokenUsage Usage)> ScoreAsync(IReadOnlyList<Segment> segments, IProgress<double> progress, CancellationToken cancellationToken)
    {
        var scores = new List<SegmentScore>(segments.Count);
        var usage = TokenUsage.Zero;
        var answeredBy = model;
        foreach (var batch in segments.Chunk(BatchSize))
        {
            var expected = batch.Select(s => s.Index).ToHashSet();
            var prompt = new StructuredPrompt(model, SystemInstruction(), [PromptTurn.User(media, GeminiPart.FromText(Describe(batch)))], ResponseSchema(batch.Length));
            var answer = await generator.GenerateAsync(prompt, a => CheckIndexes(a, expected), cancellationToken);
            usage = usage.Add(answer.Usage);
            answeredBy = answer.Model;
            var byIndex = answer.Value["segments"]!.AsArray().ToDictionary(e => JsonNumbers.ToInt(e!["index"]!), e => (JsonObject)e!);
            scores.AddRange(batch.Select(segment => ToScore(segment, byIndex[segment.Index])));
            progress.Report((double)scores.Count / segments.Count);
        }

        return (scores, answeredBy, usage);
    }

    private SegmentScore ToScore(Segment segment, JsonObject entry)
    {
        var raw = (JsonObject)entry["scores"]!;
        var dimensions = rubric.Dimensions.ToDictionary(d => d.Name, d => d.Normalize(raw[d.Name]!));
        var score = rubric.WeightedScore(raw);
        var confidence = JsonNumbers.ToDouble(entry["confidence"]!);
        var highlight = score >= rubric.HighlightThreshold && confidence >= rubric.ConfidenceThreshold;
        return new SegmentScore(segment, score, confidence, dimensions, entry["reason"]!.GetValue<string>(), highlight);
    }

    private JsonObject ResponseSchema(int count)
    {
        var dimensions = rubric.Dimensions.Select(d => (d.Name, d.IsBoolean
            ? Schema.Boolean(d.Prompt)
            : Schema.Number(d.Prompt, d.Min, d.Max))).ToList();
        return Schema.Object(
        [
            ("segments", Schema.Array(
                Schema.Object(
                [
                    ("index", Schema.Number("The segment's index as listed.", integer: true)),
                    ("scores", Schema.Object(dimensions)),
                    ("confidence", Schema.Number("How sure you are of these scores, 0 to 1.", 0, 1)),
                    ("reason", Schema.String("One sentence on what makes this segment score as it does.")),
                ]),
                "One entry per listed segment.",
                minItems: count,
                maxItems: count)),
        ]);
    }

    private string SystemInstruction()
    {
        var text = new StringBuilder()
            .Append("You score segments of a recording for how well they work as highlights, using the rubric '").Append(rubric.Name).AppendLine("'. ")
            .AppendLine("Score each listed segment only on what happens between its start and end. Answer with one JSON object that follows the response schema, with exactly one entry per listed segment.")
            .AppendLine("Dimensions:");
        foreach (var d in rubric.Dimensions)
        {
            text.Append("- ").Append(d.Name).Append(" (")
                .Append(d.IsBoolean ? "true or false" : string.Create(CultureInfo.InvariantCulture, $"a number from {d.Min} to {d.Max}"))
                .Append("): ").AppendLine(d.Prompt);
            foreach (var example in d.Examples)
            {
                text.Append("  Example: ").Append(example.Context).Append(" -> ")
                    .AppendLine(d.IsBoolean ? (example.Score >= 0.5 ? "true" : "false") : example.Score.ToString(CultureInfo.InvariantCulture));
            }
        }

        return text.Append("Confidence is 0 to 1: how sure you are, lower when the segment is hard to judge.").ToString();
    }

    private string Describe(IEnumerable<Segment> batch)
    {
        var text = new StringBuilder("Score these segments:\n");
        foreach (var segment in batch)
        {
            text.Append(CultureInfo.InvariantCulture, $"[{segment.Index}] {Timestamp.Format(segment.Start)}-{Timestamp.Format(segment.End)} ({segment.Start:0.0} s to {segment.End:0.0} s)");
            var words = transcript?.Segments.Where(t => t.End > segment.Start && t.Start < segment.End).Select(t => t.Text.Trim()).Where(t => t.Length > 0).ToList();
            if (words is { Count: > 0 })
            {
                text.Append(": \"").Append(string.Join(' ', words)).Append('"');
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    private static List<string> CheckIndexes(JsonObject answer, HashSet<int> expected)
    {
        var seen = answer["segments"]!.AsArray().Select(e => JsonNumbers.ToInt(e!["index"]!)).ToList();
        var problems = new List<string>();
        var missing = expected.Except(seen).ToList();
        var unknown = seen.Except(expected).ToList();
        var twice = seen.GroupBy(i => i).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (missing.Count > 0)
        {
            problems.Add("segments " + string.Join(", ", missing) + " have no entry");
        }

        if (unknown.Count > 0)
        {
            problems.Add("segments " + string.Join(", ", unknown) + " were not listed");
        }

        if (twice.Count > 0)
        {
            problems.Add("segments " + string.Join(", ", twice) + " have more than one entry");
        }

        return problems;
    }
}
